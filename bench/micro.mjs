// Benchmark 5 — hot-path micro-benchmarks (ops/s): chunking and normalization.
import { loadMetaFixtures } from '@wabot/testing';
import { chunkText, normalizeWebhook } from '@wabot/whatsapp';
import { Bench } from 'tinybench';

export async function benchMicro({ timeMs = 1000 } = {}) {
  const fixtures = loadMetaFixtures();
  const parsed = fixtures.map((f) => JSON.parse(f.body.toString('utf8')));
  const batch = parsed.find((_, i) => fixtures[i].name.startsWith('34_')) ?? parsed[0];
  const text = parsed.find((_, i) => fixtures[i].name.startsWith('01_')) ?? parsed[0];
  const words = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit 😀 日本語のテキスト naïve café 👍🏽 '.repeat(
    200,
  );
  const short = 'Thanks! Your order #1234 ships tomorrow.';
  const bench = new Bench({ time: timeMs, warmupTime: 200 });
  bench
    .add('chunkText short reply (40 chars)', () => chunkText(short))
    .add(`chunkText long reply (${words.length} chars → ${chunkText(words).length} parts)`, () => chunkText(words))
    .add('normalizeWebhook single text', () => normalizeWebhook(text))
    .add('normalizeWebhook multi-entry batch', () => normalizeWebhook(batch))
    .add('JSON.parse + normalizeWebhook, all 44 fixtures', () => {
      for (const f of fixtures) normalizeWebhook(JSON.parse(f.body.toString('utf8')));
    });
  await bench.run();
  return bench.tasks.map((task) => ({
    name: task.name,
    opsPerSecond: Math.round(task.result?.throughput?.mean ?? task.result?.hz ?? 0),
    meanUs: Math.round((task.result?.latency?.mean ?? task.result?.mean ?? 0) * 1000 * 100) / 100,
  }));
}
