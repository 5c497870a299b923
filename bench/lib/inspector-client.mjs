// A minimal Chrome DevTools Protocol client for a child process started with --inspect=127.0.0.1:0:
// enough to start and stop the CPU profiler and the sampling heap profiler around a measured window.
import { spawn } from 'node:child_process';

/**
 * Spawns `node --inspect=127.0.0.1:0 <args>` and connects to its inspector. Resolves with
 * {child, call(method, params), close()} once the WebSocket is open.
 */
export async function spawnInspected(args, { env = process.env, stdio = ['ignore', 'pipe', 'pipe'] } = {}) {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...args], { env, stdio });
  const wsUrl = await new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      const match = /ws:\/\/\S+/.exec(seen);
      if (match) {
        child.stderr.off('data', onData);
        resolve(match[0]);
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before its inspector opened`)));
  });
  child.stderr.resume();
  const socket = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${wsUrl}`)), { once: true });
  });
  let lastId = 0;
  const pending = new Map();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    const waiter = message.id !== undefined ? pending.get(message.id) : undefined;
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${message.error.message} (${message.error.code})`));
    else waiter.resolve(message.result);
  });
  return {
    child,
    call(method, params = {}) {
      const id = ++lastId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    close() {
      socket.close();
    },
  };
}
