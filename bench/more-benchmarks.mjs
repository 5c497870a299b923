// Benchmarks 2–4 — the whole path with real processes: simulated Meta (signed webhooks) → ingress
// → Redis → worker(s) with the offline (instant) engine → simulated Graph API. Loaded by run.mjs.
import {
  createThroughputBots,
  interleavedPlan,
  measuredRun,
  perUserSequences,
  THROUGHPUT_RATE_LIMIT,
} from './lib/e2e-run.mjs';
import { windowCounts } from './lib/load-stats.mjs';
import { postPaced, postSequences } from './lib/webhook-load.mjs';

const log = (line) => console.error(`[bench]   ${line}`);
const pass = (met) => (met ? 'MET' : 'MISSED');
const zeroTarget = (n) => `= 0 ${pass(n === 0)}`;

// ---------------------------------------------------------------------------------------------
// 2. End to end

async function runEndToEnd(stack, { quick }) {
  const bots = await createThroughputBots(stack);
  const count = quick ? 400 : 6000;
  const warmup = quick ? 100 : 400;
  const result = { bots: bots.length, rateLimitPerBot: THROUGHPUT_RATE_LIMIT, connections: 64, runs: {} };
  for (const workers of [1, 2]) {
    log(`max rate, ${workers} worker(s), ${count} messages`);
    result.runs[`max${workers}`] = await measuredRun(stack, {
      workers,
      bots,
      warmup,
      plan: interleavedPlan(bots, count),
      load: (poster, tracker) =>
        postSequences(
          poster,
          tracker.items.map((item) => [item]),
          { concurrency: 64 },
        ),
    });
    log(JSON.stringify(brief(result.runs[`max${workers}`])));
  }
  const half = Math.max(20, Math.round(result.runs.max2.messagesPerSecond / 2));
  const durationS = quick ? 2 : 10;
  log(`half of the 2-worker max: ${half} msg/s for ${durationS} s, 2 workers`);
  result.runs.half2 = await measuredRun(stack, {
    workers: 2,
    bots,
    warmup,
    plan: interleavedPlan(bots, half * durationS, 5),
    load: async (poster, tracker) => {
      result.halfRateOffered = (await postPaced(poster, tracker.items, { ratePerS: half })).offeredRate;
    },
  });
  log(JSON.stringify(brief(result.runs.half2)));
  const { max2, half2 } = result.runs;
  const lost = Object.values(result.runs).reduce((n, r) => n + r.lost, 0);
  const duplicates = Object.values(result.runs).reduce((n, r) => n + r.duplicates, 0);
  result.targets = {
    throughput2Workers: { target: '>= 1000 msg/s', value: max2.messagesPerSecond, met: max2.messagesPerSecond >= 1000 },
    p99AtHalfRate: {
      target: '< 250 ms',
      value: half2.latencyMs.p99,
      met: half2.latencyMs.p99 !== null && half2.latencyMs.p99 < 250,
    },
    lost: { target: '= 0', value: lost, met: lost === 0 },
    duplicates: { target: '= 0', value: duplicates, met: duplicates === 0 },
  };
  return result;
}

const brief = (r) => ({
  msgPerS: r.messagesPerSecond,
  p50: r.latencyMs.p50,
  p99: r.latencyMs.p99,
  lost: r.lost,
  dup: r.duplicates,
  order: r.orderViolations,
});

function endToEndRows(r) {
  const rows = [];
  const t = r.targets;
  for (const [key, label] of [
    ['max1', '1 worker, max rate'],
    ['max2', '2 workers, max rate'],
    ['half2', `2 workers, ${r.halfRateOffered} msg/s offered`],
  ]) {
    const run = r.runs[key];
    rows.push([
      key === 'max1' ? 'end to end' : '',
      `${label}: msg/s`,
      run.messagesPerSecond,
      key === 'max2' ? `>= 1000 ${pass(t.throughput2Workers.met)}` : '',
    ]);
    const latencyNote = key === 'half2' ? `p99 < 250 ${pass(t.p99AtHalfRate.met)}` : '(saturated: mostly queueing)';
    rows.push([
      '',
      `${label}: p50/p99/max ms`,
      `${run.latencyMs.p50}/${run.latencyMs.p99}/${run.latencyMs.max}`,
      latencyNote,
    ]);
    rows.push([
      '',
      `${label}: lost / duplicate replies`,
      `${run.lost} / ${run.duplicates} of ${run.messages}`,
      zeroTarget(run.lost + run.duplicates),
    ]);
  }
  const rss = r.runs.max2.rssMiB;
  rows.push(['', 'RSS MiB after 2-worker run: ingress / workers', `${rss.ingress} / ${rss.workers.join(', ')}`, '']);
  return rows;
}

function endToEndGroups(r) {
  return [
    {
      title: `End to end: msg/s from first POST to last reply (${r.bots} numbers, offline engine)`,
      unit: 'msg/s',
      bars: [
        { label: '1 worker, max rate', value: r.runs.max1.messagesPerSecond },
        { label: '2 workers, max rate', value: r.runs.max2.messagesPerSecond, note: '(target 1,000)' },
        { label: '2 workers, half rate (offered)', value: r.halfRateOffered, color: '#999' },
      ],
    },
    {
      title: 'End to end: webhook POST → reply at the Graph API, 2 workers at half rate',
      unit: 'ms',
      bars: [
        { label: 'p50', value: r.runs.half2.latencyMs.p50 ?? 0 },
        { label: 'p90', value: r.runs.half2.latencyMs.p90 ?? 0 },
        { label: 'p99', value: r.runs.half2.latencyMs.p99 ?? 0, note: '(target < 250)' },
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// 3. Ordering under load

async function runOrdering(stack, { quick }) {
  const bots = await createThroughputBots(stack);
  const users = quick ? 40 : 200;
  const perUser = quick ? 10 : 20;
  const total = users * perUser;
  const warmup = quick ? 100 : 400;
  log(`ordered: ${users} users × ${perUser} messages, users concurrent, each user's posts sequential, 2 workers`);
  const sequences = perUserSequences(bots, users, perUser);
  const ordered = await measuredRun(stack, {
    workers: 2,
    bots,
    warmup,
    connections: users,
    plan: sequences.flat(),
    load: (poster, tracker) => {
      const byUser = Array.from({ length: users }, (_, u) => tracker.items.slice(u * perUser, (u + 1) * perUser));
      return postSequences(poster, byUser, { concurrency: users });
    },
  });
  log(JSON.stringify(brief(ordered)));
  log(
    `unordered reference: ${total} messages from ${total} distinct users (no per-conversation serialisation), 2 workers`,
  );
  const unordered = await measuredRun(stack, {
    workers: 2,
    bots,
    warmup,
    connections: users,
    plan: interleavedPlan(bots, total, 1),
    load: (poster, tracker) =>
      postSequences(
        poster,
        tracker.items.map((item) => [item]),
        { concurrency: users },
      ),
  });
  log(JSON.stringify(brief(unordered)));
  const cost = unordered.messagesPerSecond > 0 ? 1 - ordered.messagesPerSecond / unordered.messagesPerSecond : null;
  return {
    users,
    perUser,
    ordered,
    unordered,
    unorderedReference: `the worker has no unordered mode: ${total} messages from ${total} distinct users stand in for unordered processing`,
    orderingCostPct: cost === null ? null : Math.round(cost * 1000) / 10,
    targets: {
      orderViolations: { target: '= 0', value: ordered.orderViolations, met: ordered.orderViolations === 0 },
      lostOrDuplicate: {
        target: '= 0',
        value: ordered.lost + ordered.duplicates,
        met: ordered.lost + ordered.duplicates === 0,
      },
    },
  };
}

function orderingRows(r) {
  return [
    [
      'ordering',
      `${r.users} users × ${r.perUser}: order violations`,
      r.ordered.orderViolations,
      zeroTarget(r.ordered.orderViolations),
    ],
    [
      '',
      'ordered: msg/s, p50/p99 ms',
      `${r.ordered.messagesPerSecond}, ${r.ordered.latencyMs.p50}/${r.ordered.latencyMs.p99}`,
      '',
    ],
    [
      '',
      `${r.users * r.perUser} distinct users: msg/s, p50/p99 ms`,
      `${r.unordered.messagesPerSecond}, ${r.unordered.latencyMs.p50}/${r.unordered.latencyMs.p99}`,
      '',
    ],
    ['', 'throughput cost of ordering', `${r.orderingCostPct} %`, ''],
    [
      '',
      'lost / duplicate replies (both runs)',
      `${r.ordered.lost + r.unordered.lost} / ${r.ordered.duplicates + r.unordered.duplicates}`,
      zeroTarget(r.ordered.lost + r.unordered.lost + r.ordered.duplicates + r.unordered.duplicates),
    ],
  ];
}

function orderingGroups(r) {
  return [
    {
      title: `Ordering: ${r.users} users × ${r.perUser} messages vs. ${r.users * r.perUser} distinct users (2 workers)`,
      unit: 'msg/s',
      bars: [
        {
          label: 'ordered (per-user sequences)',
          value: r.ordered.messagesPerSecond,
          note: `(${r.ordered.orderViolations} order violations)`,
        },
        { label: 'distinct users (reference)', value: r.unordered.messagesPerSecond, color: '#999' },
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// 4. Rate limiting

async function runRateLimit(stack, { quick }) {
  const limit = 80;
  const bot = await stack.createBot({ rateLimitPerSecond: limit });
  const count = quick ? 60 : 400;
  log(`${count}-message burst from ${count} users to one number limited to ${limit}/s, 2 workers`);
  const calls = [];
  const sends = [];
  const run = await measuredRun(stack, {
    workers: 2,
    bots: [bot],
    warmup: 0,
    plan: interleavedPlan([bot], count, 1),
    settleTimeoutMs: (count * 2 * 1000) / limit + 30_000,
    load: (poster, tracker) =>
      postSequences(
        poster,
        tracker.items.map((item) => [item]),
        { concurrency: 64 },
      ),
    onPipeline: (pipeline) =>
      pipeline.onGraphRequest(({ record, at }) => {
        if (record.phoneNumberId !== bot.phoneNumberId || record.status !== 200) return;
        calls.push(at);
        if (record.kind === 'text') sends.push(at);
      }),
  });
  const all = windowCounts(calls);
  const texts = windowCounts(sends);
  const full = all.windows.slice(0, -1);
  const meanFull = full.length ? full.reduce((a, b) => a + b, 0) / full.length : all.max;
  return {
    limitPerSecond: limit,
    workers: 2,
    messages: count,
    replies: run.replies,
    lost: run.lost,
    duplicates: run.duplicates,
    graphCalls: calls.length,
    callsPerWindow: all.windows,
    maxWindow: all.max,
    slidingMaxWindow: all.slidingMax,
    meanFullWindow: Math.round(meanFull * 10) / 10,
    utilisationPct: Math.round((meanFull / limit) * 1000) / 10,
    replySendsPerWindow: texts.windows,
    note: 'every inbound message costs two rate-limited Graph calls (read receipt + reply); windows count both',
    rssMiB: run.rssMiB,
    targets: { maxWindow: { target: `<= ${limit}`, value: all.max, met: all.max <= limit } },
  };
}

function rateLimitRows(r) {
  return [
    ['rate limit', `Graph calls per 1-s window (limit ${r.limitPerSecond})`, r.callsPerWindow.join(' '), ''],
    [
      '',
      'max 1-s window / sliding max',
      `${r.maxWindow} / ${r.slidingMaxWindow}`,
      `<= ${r.limitPerSecond} ${pass(r.targets.maxWindow.met)}`,
    ],
    ['', 'mean of full windows (utilisation)', `${r.meanFullWindow} (${r.utilisationPct} %)`, ''],
    ['', 'lost / duplicate replies', `${r.lost} / ${r.duplicates} of ${r.messages}`, zeroTarget(r.lost + r.duplicates)],
  ];
}

function rateLimitGroups(r) {
  return [
    {
      title: `Rate limit ${r.limitPerSecond}/s on one number, 2 workers: Graph calls per 1-s window`,
      unit: 'calls',
      bars: r.callsPerWindow.map((n, i) => ({
        label: `second ${i + 1}`,
        value: n,
        color: n > r.limitPerSecond ? '#d33' : '#25D366',
      })),
    },
  ];
}

export const benchmarks = [
  {
    id: 'e2e',
    key: 'endToEnd',
    title: '2. end to end: simulated Meta → ingress → worker(s) → simulated Graph',
    run: runEndToEnd,
    rows: endToEndRows,
    groups: endToEndGroups,
  },
  {
    id: 'ordering',
    key: 'ordering',
    title: '3. ordering under load',
    run: runOrdering,
    rows: orderingRows,
    groups: orderingGroups,
  },
  {
    id: 'ratelimit',
    key: 'rateLimit',
    title: '4. rate limiting: one number at 80 msg/s, 2 workers',
    run: runRateLimit,
    rows: rateLimitRows,
    groups: rateLimitGroups,
  },
];
