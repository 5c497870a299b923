// A minimal Chrome DevTools Protocol client for a stack service started with the node flag
// INSPECT (--inspect=127.0.0.1:0): enough to start and stop the CPU profiler and the sampling heap
// profiler around a measured window.

/** The node flags that open a service's inspector on a free port. */
export const INSPECT = ['--inspect=127.0.0.1:0'];

/**
 * Connects to the inspector of a running stack service (a startStack service started with
 * `nodeArgs: INSPECT`), found in what it printed. Resolves with {call(method, params), close()}
 * once the WebSocket is open.
 */
export async function connectInspector(service) {
  const wsUrl = /ws:\/\/\S+/.exec(service.output())?.[0];
  if (!wsUrl) throw new Error(`${service.id} printed no inspector URL (started with nodeArgs: INSPECT?)`);
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
