import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { freePort } from '@wabot/stack';
import { eventually, useTestDatabase, useTestRedis } from '@wabot/testing';
import { describe, expect, inject, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(path.join(root, 'run'), args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
const checkServices = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(root, 'tools/check-services.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 20_000,
  });

describe('./run', () => {
  it('prints usage and exits non-zero without a command or with an unknown one', () => {
    const none = run([]);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toContain('usage: ./run <command>');
    const bogus = run(['bogus']);
    expect(bogus.status).not.toBe(0);
    expect(bogus.stderr).toContain('unknown command: bogus');
    const service = run(['service', 'nope']);
    expect(service.status).toBe(2);
    expect(service.stderr).toContain('usage: ./run service ingress|worker|admin');
  });

  it('prints a signed admin token for --sub, and usage without it', () => {
    const ok = run(['token', '--sub', 'alice'], { JWT_SECRET: 'x'.repeat(40) });
    expect(ok.status).toBe(0);
    const token = ok.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(payload.sub).toBe('alice');
    expect(run(['token']).status).toBe(2);
  });

  it("signs with this installation's git-ignored random key when JWT_SECRET is unset", () => {
    const { JWT_SECRET: _unset, ...env } = process.env;
    const tokenWith = () =>
      spawnSync(path.join(root, 'run'), ['token', '--sub', 'bob'], {
        cwd: root,
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
    const first = tokenWith();
    expect(first.status, first.stderr).toBe(0);
    const key = readFileSync(path.join(root, '.wabot/local-secrets.env'), 'utf8').match(
      /^JWT_SECRET=([0-9a-f]{64})$/m,
    )?.[1];
    expect(key).toBeDefined();
    const [header, payload, signature] = first.stdout.trim().split('.');
    const expected = createHmac('sha256', key ?? '')
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(signature).toBe(expected);
    // The same key next time (a token minted today verifies tomorrow), and it is not committed.
    const [h2, p2, s2] = tokenWith().stdout.trim().split('.');
    expect(s2).toBe(
      createHmac('sha256', key ?? '')
        .update(`${h2}.${p2}`)
        .digest('base64url'),
    );
    expect(readFileSync(path.join(root, '.wabot/local-secrets.env'), 'utf8')).toContain(key ?? 'missing');
    expect(spawnSync('git', ['check-ignore', '-q', '.wabot/local-secrets.env'], { cwd: root }).status).toBe(0);
  });
});

describe('./run start (tools/start.ts)', () => {
  it('checks its ports before starting anything and names the variable to set for a taken one', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const taken = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = spawnSync(process.execPath, [path.join(root, 'tools/start.ts')], {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          INGRESS_PORT: String(taken),
          ADMIN_PORT: String(await freePort()),
          WORKER_PORT: String(await freePort()),
        },
        timeout: 20_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(
        `[run] port ${taken} on 127.0.0.1 is already in use (ingress): set INGRESS_PORT to a free port`,
      );
      expect(result.stdout).not.toContain('ready');
    } finally {
      blocker.close();
    }
  });
});

describe('./run start: the first owner', () => {
  const database = useTestDatabase();
  const redis = useTestRedis();

  it('prints a one-time setup link while no account exists (never in a service log line); the link creates the owner', async () => {
    const [ingress, admin, worker] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(process.execPath, [path.join(root, 'tools/start.ts')], {
      cwd: root,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        INGRESS_PORT: String(ingress),
        ADMIN_PORT: String(admin),
        WORKER_PORT: String(worker),
        DATABASE_URL: database.current.url,
        REDIS_URL: redis.current.url,
        REDIS_PREFIX: redis.current.prefix,
        LOG_FORMAT: 'json',
        SETUP_TOKEN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    try {
      await eventually(() => output.includes('[run] first owner: open'), 90_000, 'the first-owner link');
      const link = /first owner: open (\S+) /.exec(output)?.[1] ?? '';
      expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${admin}/setup\\?token=[A-Za-z0-9_-]{43}$`));
      const token = new URL(link).searchParams.get('token') ?? '';
      expect(output.split(token).length - 1).toBe(1);
      const setup = await fetch(`http://127.0.0.1:${admin}/api/auth/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token,
          email: 'first@example.com',
          password: 'first owner pw',
          name: 'First',
          workspace_name: 'W',
        }),
      });
      expect(setup.status).toBe(201);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    expect(output.split('\n').filter((line) => line.includes('| {') && line.includes('setup?token='))).toEqual([]);
  }, 120_000);
});

describe('tools/check-services.mjs', () => {
  it('names the unreachable service, the URL with its password masked, and how to start it — one line each', () => {
    const result = checkServices(['redis', 'postgres'], {
      REDIS_URL: 'redis://:s3cret@127.0.0.1:1',
      DATABASE_URL: 'postgresql://postgres:hunter2@127.0.0.1:2/wabot',
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[run\] Redis is not reachable at redis:\/\/:\*\*\*@127\.0\.0\.1:1 .*docker compose up -d redis/,
    );
    expect(lines[1]).toMatch(
      /^\[run\] PostgreSQL is not reachable at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:2\/wabot .*docker compose up -d postgres/,
    );
    expect(result.stderr).not.toMatch(/s3cret|hunter2/);
  });

  it('is silent and succeeds when both answer', () => {
    const result = checkServices(['redis', 'postgres'], {
      REDIS_URL: inject('redisUrl'),
      DATABASE_URL: inject('databaseUrl'),
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('./run simulator', () => {
  it('serves the fake Graph API and sends each typed line to the bot as a signed WhatsApp text', async () => {
    const received: { signature: string | undefined; body: string }[] = [];
    const bot = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          signature: req.headers['x-hub-signature-256']?.toString(),
          body: Buffer.concat(chunks).toString(),
        });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const address = bot.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const simulator = spawn(
      path.join(root, 'run'),
      [
        'simulator',
        '--port',
        '0',
        '--webhook-url',
        `http://127.0.0.1:${port}/hook`,
        '--app-secret',
        'sim-secret',
        '--phone-number-id',
        '106540352242922',
        '--user',
        '15550001111',
      ],
      { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      simulator.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      const graphUrl = await eventually(
        () => /listening on (http:\/\/\S+)/.exec(out)?.[1],
        20_000,
        'the simulator to listen',
      );
      // The banner's later lines may come in a later chunk than the "listening" one.
      await eventually(() => out.includes('+15550001111'), 5_000, 'the simulated user to be named');
      simulator.stdin.write('where is my order?\n');
      const [hook] = await eventually(() => (received.length ? received : null), 10_000, 'the webhook');
      const payload = JSON.parse(hook?.body ?? '{}');
      const value = payload.entry[0].changes[0].value;
      expect(value.metadata.phone_number_id).toBe('106540352242922');
      expect(value.messages[0]).toMatchObject({
        from: '15550001111',
        type: 'text',
        text: { body: 'where is my order?' },
      });
      expect(hook?.signature).toBe(
        `sha256=${createHmac('sha256', 'sim-secret')
          .update(hook?.body ?? '')
          .digest('hex')}`,
      );
      // And it answers sends like Meta (here: a token it was told nothing about is accepted).
      const sent = await fetch(`${graphUrl}/v25.0/106540352242922/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer EAAG-any', 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '15550001111', type: 'text', text: { body: 'hi' } }),
      });
      expect(sent.status).toBe(200);
      expect(JSON.parse(await sent.text()).messages[0].id).toMatch(/^wamid\./);
      // "/tap <id>" taps a button of the bot's last interactive message to that user.
      const buttons = await fetch(`${graphUrl}/v25.0/106540352242922/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer EAAG-any', 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: '+15550001111',
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Tea or coffee?' },
            action: {
              buttons: [
                { type: 'reply', reply: { id: 'tea', title: 'Tea' } },
                { type: 'reply', reply: { id: 'coffee', title: 'Coffee' } },
              ],
            },
          },
        }),
      });
      const buttonsId = JSON.parse(await buttons.text()).messages[0].id;
      await eventually(() => out.includes('[coffee: Coffee]'), 10_000, 'the interactive send printed');
      simulator.stdin.write('/tap coffee\n');
      const taps = await eventually(
        () => {
          const inbound = received.map((r) => JSON.parse(r.body)).filter((p) => p.entry[0].changes[0].value.messages);
          return inbound.length >= 2 ? inbound : null;
        },
        10_000,
        'the tap webhook',
      );
      expect(taps[1].entry[0].changes[0].value.messages[0]).toMatchObject({
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'coffee', title: 'Coffee' } },
        context: { id: buttonsId },
      });
    } finally {
      simulator.kill('SIGTERM');
      await new Promise((resolve) => simulator.once('exit', resolve));
      await new Promise((resolve) => bot.close(resolve));
    }
  });
});
