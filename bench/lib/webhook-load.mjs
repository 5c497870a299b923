// The simulated Meta side of a load run: POSTs pre-signed webhooks over keep-alive connections,
// retrying anything but 200 as Meta does, and stamps each item with the time of its first try.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A keep-alive HTTP poster to `baseUrl` (scheme, host, port) with at most `connections` sockets.
 * `post({path, body, headers})` sets `item.postedAt` (performance.now() of the first try) and `item.answeredAt` (final answer), and
 * resolves with the final status.
 */
export function createPoster(baseUrl, { connections = 64, attempts = 5, retryDelayMs = 200 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(baseUrl);
  const counts = { posts: 0, retries: 0, failed: 0 };

  function once(item) {
    return new Promise((resolve) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: item.path,
          method: 'POST',
          headers: { ...item.headers, 'content-length': item.body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve(0));
        },
      );
      req.on('error', () => resolve(0));
      req.setTimeout(10_000, () => req.destroy());
      req.end(item.body);
    });
  }

  async function post(item) {
    item.postedAt = performance.now();
    counts.posts++;
    let status = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        counts.retries++;
        await sleep(retryDelayMs * attempt);
      }
      status = await once(item);
      if (status === 200) break;
    }
    item.answeredAt = performance.now();
    if (status !== 200) counts.failed++;
    return status;
  }

  return { post, counts, close: () => agent.destroy() };
}

/**
 * Posts `sequences` (arrays of items): each sequence strictly in order (the next POST starts after
 * the previous one got its answer, like one user typing), `concurrency` sequences at a time.
 */
export async function postSequences(poster, sequences, { concurrency = 64 } = {}) {
  let next = 0;
  const lane = async () => {
    while (next < sequences.length) {
      const sequence = sequences[next++];
      for (const item of sequence) await poster.post(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sequences.length) }, lane));
}

/**
 * Open-loop load: item i is posted at start + i / ratePerS whatever the answers do (requests queue
 * at the agent when every connection is busy, as they would at Meta's side).
 */
export async function postPaced(poster, items, { ratePerS }) {
  const start = performance.now();
  const pending = [];
  let i = 0;
  while (i < items.length) {
    const due = Math.min(items.length, Math.floor(((performance.now() - start) * ratePerS) / 1000) + 1);
    while (i < due) pending.push(poster.post(items[i++]));
    await sleep(2);
  }
  await Promise.all(pending);
  return { offeredRate: ratePerS, durationS: (performance.now() - start) / 1000 };
}

/**
 * Open-loop load on a timetable: each item is posted `atMs(item)` ms after the start, whatever the
 * answers do (a burst's messages from one user, a second apart or less, as a phone sends them).
 */
export async function postScheduled(poster, items, atMs) {
  const queue = [...items].sort((a, b) => atMs(a) - atMs(b));
  const start = performance.now();
  const pending = [];
  let i = 0;
  while (i < queue.length) {
    const now = performance.now() - start;
    while (i < queue.length && atMs(queue[i]) <= now) pending.push(poster.post(queue[i++]));
    if (i < queue.length) await sleep(Math.min(5, Math.max(1, atMs(queue[i]) - now)));
  }
  await Promise.all(pending);
  return { durationS: (performance.now() - start) / 1000 };
}
