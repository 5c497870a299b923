// Benchmarks 6–7 — what ADR 0004 (pipeline v2) promises, measured on the whole path with real
// processes: turns on a burst corpus (engine calls and replies saved), and one stage-1 job stuck
// while unrelated users keep writing (their latency against a baseline). Loaded by run.mjs.
import { performance } from 'node:perf_hooks';
import * as contracts from '@wabot/contracts';
import { BURST_MIX, burstCorpus } from './lib/burst-corpus.mjs';
import { createBurstTracker } from './lib/burst-tracker.mjs';
import { freshUsers, interleavedPlan, measuredRun, THROUGHPUT_BOTS, THROUGHPUT_RATE_LIMIT } from './lib/e2e-run.mjs';
import { percentile } from './lib/load-stats.mjs';
import { findOutboundMessage, holdRowLock } from './lib/row-lock.mjs';
import { signedStatus } from './lib/webhook-bodies.mjs';
import { postScheduled } from './lib/webhook-load.mjs';

const log = (line) => console.error(`[bench]   ${line}`);
const pass = (met) => (met ? 'MET' : 'MISSED');
const round = (n, digits = 1) => (n === null || n === undefined ? null : Math.round(n * 10 ** digits) / 10 ** digits);
const pct = (part, whole) => (whole > 0 ? round((part / whole) * 100) : null);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Counters of `after` minus those of `before` (both from `pipeline.workerCounters()`). */
function counterDelta(after, before) {
  return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]));
}

/** Sum of the counters named `name` whose labels include every `label="value"` of `labels`. */
const sumOf = (counters, name, labels = {}) =>
  Object.entries(counters)
    .filter(
      ([key]) =>
        key.startsWith(`${name}{`) &&
        Object.entries(labels).every(([label, value]) => key.includes(`${label}="${value}"`)),
    )
    .reduce((n, [, value]) => n + value, 0);

// ---------------------------------------------------------------------------------------------
// 6. Burst corpus: one turn per message vs. turns

export const TURN_SETTINGS = { debounce_ms: 1200, max_wait_ms: 4000 };

async function runBursts(stack, { quick }) {
  const shape = quick ? { users: 40, spreadMs: 2_000 } : { users: 300, spreadMs: 10_000 };
  const corpus = burstCorpus({ ...shape, burstsPerUser: 2 });
  const sizes = new Map();
  for (const entry of corpus) sizes.set(entry.burst, (sizes.get(entry.burst) ?? 0) + 1);
  const bySize = [1, 2, 3, 4].map((n) => [...sizes.values()].filter((size) => size === n).length);
  const result = {
    corpus: {
      users: shape.users,
      burstsPerUser: 2,
      messages: corpus.length,
      bursts: sizes.size,
      burstsBySize: { 1: bySize[0], 2: bySize[1], 3: bySize[2], 4: bySize[3] },
      mix: BURST_MIX,
      gapMs: [100, 300],
      burstSpacingMs: 3_000,
      spreadMs: shape.spreadMs,
      note: 'seeded: both runs post exactly this timetable, each with fresh users and bots',
    },
    workers: 2,
    runs: {},
  };
  for (const [key, turn] of [
    ['perMessage', { debounce_ms: 0 }],
    ['turns', TURN_SETTINGS],
  ]) {
    log(
      `${corpus.length} messages in ${sizes.size} bursts from ${shape.users} users, settings.turn ${JSON.stringify(turn)}`,
    );
    const bots = [];
    for (let i = 0; i < THROUGHPUT_BOTS; i++)
      bots.push(await stack.createBot({ rateLimitPerSecond: THROUGHPUT_RATE_LIMIT, settings: { turn } }));
    const users = freshUsers(shape.users);
    const seqOfUser = new Map();
    const plan = corpus.map((entry) => {
      const userSeq = seqOfUser.get(entry.user) ?? 0;
      seqOfUser.set(entry.user, userSeq + 1);
      return {
        bot: bots[entry.user % bots.length],
        user: users[entry.user],
        userSeq,
        burst: entry.burst,
        atMs: entry.atMs,
      };
    });
    let pipeline = null;
    let before = {};
    const run = await measuredRun(stack, {
      workers: 2,
      bots,
      warmup: quick ? 40 : 200,
      plan,
      createTracker: (p, tag, items, makeBody) => createBurstTracker(stack, p, tag, items, makeBody),
      onPipeline: (p) => {
        pipeline = p;
      },
      load: async (poster, tracker) => {
        await stack.analyze();
        // The warm-up's turns are not this run's.
        before = await pipeline.workerCounters();
        await postScheduled(poster, tracker.items, (item) => item.atMs);
      },
    });
    const counters = counterDelta(run.workerCounters, before);
    const engineCalls = sumOf(counters, 'engine_latency_seconds_count');
    result.runs[key] = {
      turn,
      ...run,
      measuredCounters: counters,
      engineCalls,
      answeredTurns: sumOf(counters, 'turns_total', { outcome: 'answered' }),
      supersededTurns: sumOf(counters, 'turns_total', { outcome: 'superseded' }),
      // A turn waiting for its debounce parks its drain job in the delayed set: one 'held' each time.
      drainJobsHeld: sumOf(counters, 'jobs_total', { queue: 'conversations', outcome: 'held' }),
      engineCallsPerMessage: round(engineCalls / run.messages, 3),
      repliesPerMessage: round(run.replies / run.messages, 3),
    };
    const r = result.runs[key];
    log(
      JSON.stringify({
        engineCalls: r.engineCalls,
        replies: r.replies,
        lost: r.lost,
        whole: r.burstsAnsweredWhole,
        overBursts: r.usersWithMoreRepliesThanBursts,
        latency: r.replyAfterLastMessageMs,
      }),
    );
  }
  const { perMessage, turns } = result.runs;
  result.savedPct = {
    engineCalls: round(100 - pct(turns.engineCalls, perMessage.engineCalls)),
    replies: round(100 - pct(turns.replies, perMessage.replies)),
    // What the corpus allows at most: one engine call and one reply per burst.
    ideal: round(100 - pct(result.corpus.bursts, result.corpus.messages)),
  };
  const lost = perMessage.lost + turns.lost;
  result.targets = {
    lost: { target: '= 0', value: lost, met: lost === 0 },
    usersWithMoreRepliesThanBursts: {
      target: '= 0 (turns)',
      value: turns.usersWithMoreRepliesThanBursts,
      met: turns.usersWithMoreRepliesThanBursts === 0,
    },
    oneReplyPerMessageWithoutTurns: {
      target: '= 0 users (debounce 0)',
      value: perMessage.usersWithRepliesOtherThanMessages,
      met: perMessage.usersWithRepliesOtherThanMessages === 0,
    },
  };
  return result;
}

function burstRows(r) {
  const { perMessage: a, turns: b } = r.runs;
  const t = r.targets;
  const mixText = r.corpus.mix.map((p) => `${Math.round(p * 100)}`).join('/');
  const turnText = `debounce ${b.turn.debounce_ms} ms, max wait ${b.turn.max_wait_ms} ms`;
  const calls = (run) =>
    `${run.engineCalls} (${run.engineCallsPerMessage}) / ${run.replies} (${run.repliesPerMessage})`;
  return [
    [
      'bursts (turns)',
      `corpus: ${r.corpus.users} users, bursts of 1–4 (${mixText} %)`,
      `${r.corpus.messages} messages in ${r.corpus.bursts} bursts`,
      '',
    ],
    ['', 'debounce 0: engine calls / replies (per message)', calls(a), ''],
    ['', `${turnText}: engine calls / replies (per message)`, calls(b), ''],
    [
      '',
      'saved by turns: engine calls / replies',
      `${r.savedPct.engineCalls} % / ${r.savedPct.replies} %`,
      `(at most ${r.savedPct.ideal} %: one per burst)`,
    ],
    ['', 'turns: bursts answered by exactly one reply', `${b.burstsAnsweredWhole} of ${b.bursts}`, ''],
    [
      '',
      'reply after the last message answered, p50/p99 ms: debounce 0 | turns',
      `${a.replyAfterLastMessageMs.p50}/${a.replyAfterLastMessageMs.p99} | ${b.replyAfterLastMessageMs.p50}/${b.replyAfterLastMessageMs.p99}`,
      `(turns: >= ${b.turn.debounce_ms} by design)`,
    ],
    [
      '',
      'worker CPU ms per message: debounce 0 | turns (drain jobs held)',
      `${a.cpu.msPerMessage.workers} | ${b.cpu.msPerMessage.workers} (${b.drainJobsHeld})`,
      '',
    ],
    ['', 'lost (not handled in PostgreSQL): debounce 0 / turns', `${a.lost} / ${b.lost}`, `= 0 ${pass(t.lost.met)}`],
    [
      '',
      'users with more replies than bursts (turns)',
      `${b.usersWithMoreRepliesThanBursts} of ${b.users}`,
      `= 0 ${pass(t.usersWithMoreRepliesThanBursts.met)}`,
    ],
    [
      '',
      'users whose replies ≠ messages (debounce 0)',
      `${a.usersWithRepliesOtherThanMessages} of ${a.users}`,
      `= 0 ${pass(t.oneReplyPerMessageWithoutTurns.met)}`,
    ],
  ];
}

function burstGroups(r) {
  const { perMessage: a, turns: b } = r.runs;
  return [
    {
      title: `Burst corpus: ${r.corpus.messages} messages in ${r.corpus.bursts} bursts, 2 workers, offline engine`,
      unit: '',
      bars: [
        { label: 'engine calls, debounce 0', value: a.engineCalls, color: '#999' },
        { label: 'engine calls, turns', value: b.engineCalls, note: `(−${r.savedPct.engineCalls} %)` },
        { label: 'replies, debounce 0', value: a.replies, color: '#999' },
        { label: 'replies, turns', value: b.replies, note: `(−${r.savedPct.replies} %)` },
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// 7. Stage-1 stall: one stuck stage-1 job, unrelated users' latency

/** ADR 0004's figure for the design before it (ordering guard of ADR 0003), measured once. */
const OLD_DESIGN = {
  design: 'one stage-1 queue + ordering guard (ADR 0003)',
  unrelatedUser3MessagesMs: 9328,
  baselineMs: 83,
};

/**
 * How this build routes stage 1: with `webhookShardOf` exported by @wabot/contracts, a bot's
 * webhooks go to shard `webhookShardOf(bot id, WEBHOOK_SHARDS)`; without it (before the stage1
 * work), one queue serves every bot and nothing is per-shard.
 */
function stageOneRouting(stack) {
  if (typeof contracts.webhookShardOf !== 'function') return { sharded: false, shards: 1, shardOf: () => 0 };
  const shards = Number(stack.env.WEBHOOK_SHARDS ?? contracts.DEFAULT_WEBHOOK_SHARDS);
  return { sharded: true, shards, shardOf: (bot) => contracts.webhookShardOf(bot.id, shards) };
}

/** Creates bots until `count` satisfy `accept` (ids are random: shards are drawn, not chosen). */
async function botsWhere(stack, count, accept, { tries = 200 } = {}) {
  const bots = [];
  for (let i = 0; i < tries && bots.length < count; i++) {
    const bot = await stack.createBot({ rateLimitPerSecond: THROUGHPUT_RATE_LIMIT });
    if (accept(bot)) bots.push(bot);
  }
  return bots;
}

/** Latency, loss and per-user order of one group of a stall run's items. */
function groupFigures(items, releasedAt) {
  const replied = items.filter((item) => item.repliedAt !== null);
  const latencies = replied.map((item) => item.repliedAt - item.postedAt).sort((a, b) => a - b);
  let orderViolations = 0;
  const byUser = Map.groupBy(items, (item) => item.user.waId);
  for (const userItems of byUser.values()) {
    const answered = userItems.filter((item) => item.repliedAt !== null).sort((a, b) => a.userSeq - b.userSeq);
    for (let i = 1; i < answered.length; i++) if (answered[i].repliedAt < answered[i - 1].repliedAt) orderViolations++;
  }
  const after = releasedAt === null ? null : replied.filter((item) => item.repliedAt > releasedAt);
  return {
    users: byUser.size,
    messages: items.length,
    lost: items.length - replied.length,
    orderViolations,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1)),
    },
    ...(after === null
      ? {}
      : {
          repliedAfterRelease: after.length,
          lastReplyAfterReleaseMs: round(Math.max(...replied.map((item) => item.repliedAt)) - releasedAt),
        }),
  };
}

async function stallRun(stack, { stuck, bots, holdMs, sizes, warmup }) {
  const windowMs = holdMs - 700;
  const group = (name, groupBots, users) => {
    if (groupBots.length === 0) return [];
    const entries = interleavedPlan(groupBots, users * 3, 3);
    return entries.map((entry, i) => ({ ...entry, group: name, atMs: Math.round((i * windowMs) / entries.length) }));
  };
  const plan = [
    ...group('unrelated', bots.unrelated, sizes.unrelated),
    ...group('stuckBot', [bots.stuck], sizes.stuckBot),
    ...group('sameShard', bots.sameShard, sizes.sameShard),
  ].sort((a, b) => a.atMs - b.atMs);
  let tracker = null;
  const stall = { holdMs, stuckJobBlocked: null, blockedAfterMs: null, blockedAtRelease: [], releasedAt: null };
  const run = await measuredRun(stack, {
    workers: 2,
    bots: [bots.stuck, ...bots.sameShard, ...bots.unrelated],
    warmup,
    plan,
    load: async (poster, t) => {
      tracker = t;
      await stack.analyze();
      // The warm-up answered every bot's users, so bot S has outbound messages with wamids.
      const target = await findOutboundMessage(stack, bots.stuck.id);
      const lock = stuck ? await holdRowLock(stack, target.id) : null;
      try {
        const status = {
          path: `/api/bots/webhook/whatsapp/${bots.stuck.id}`,
          ...signedStatus(bots.stuck, target.wamid, target.recipient),
        };
        await poster.post(status);
        if (lock) {
          const blocked = await lock.waitUntilBlocked(10_000);
          stall.stuckJobBlocked = blocked.length > 0;
          stall.blockedAfterMs = round(performance.now() - status.postedAt);
        }
        const start = performance.now();
        const posting = postScheduled(poster, t.items, (item) => item.atMs);
        if (lock) {
          await sleep(holdMs - (performance.now() - start));
          Object.assign(stall, await lock.release());
        }
        await posting;
      } finally {
        await lock?.release();
      }
    },
  });
  const figures = Object.fromEntries(
    [...Map.groupBy(tracker.items, (item) => item.group)].map(([name, items]) => [
      name,
      groupFigures(items, stall.releasedAt),
    ]),
  );
  const { releasedAt, ...stallFacts } = stall;
  return {
    stuck,
    ...(stuck ? { stall: stallFacts } : {}),
    groups: figures,
    lost: run.lost,
    duplicates: run.duplicates,
    messages: run.messages,
    cpu: run.cpu,
    workerCounters: run.workerCounters,
    serviceWarnings: run.serviceWarnings,
  };
}

async function runStall(stack, { quick }) {
  const routing = stageOneRouting(stack);
  const [stuckBot] = await botsWhere(stack, 1, () => true);
  const stuckShard = routing.shardOf(stuckBot);
  const unrelated = await botsWhere(stack, 3, (bot) => !routing.sharded || routing.shardOf(bot) !== stuckShard);
  // A bot that shares the stuck shard is delayed with it: the price of a serial lane, shown apart.
  const sameShard = routing.sharded ? await botsWhere(stack, 1, (bot) => routing.shardOf(bot) === stuckShard) : [];
  const bots = { stuck: stuckBot, unrelated, sameShard };
  const holdMs = quick ? 3_000 : 5_000;
  const sizes = { unrelated: quick ? 12 : 100, stuckBot: 2, sameShard: 2 };
  const warmup = quick ? 40 : 200;
  const result = {
    design: routing.sharded
      ? `stage 1 sharded per bot: ${routing.shards} shard queues, one job at a time each`
      : 'one stage-1 queue, jobs run concurrently (no webhookShardOf in @wabot/contracts: before the stage1 work)',
    sharded: routing.sharded,
    shards: routing.shards,
    shardsOf: {
      stuckBot: stuckShard,
      unrelated: unrelated.map((bot) => routing.shardOf(bot)),
      sameShard: sameShard.map((bot) => routing.shardOf(bot)),
    },
    holdMs,
    messagesPerUser: 3,
    usersPerGroup: {
      unrelated: sizes.unrelated,
      stuckBot: sizes.stuckBot,
      sameShard: sameShard.length ? sizes.sameShard : 0,
    },
    reference: OLD_DESIGN,
    workers: 2,
  };
  log(
    `baseline: status webhook for bot S applied at once; ${sizes.unrelated} unrelated users × 3 messages over ${holdMs - 700} ms`,
  );
  result.baseline = await stallRun(stack, { stuck: false, bots, holdMs, sizes, warmup });
  log(JSON.stringify(result.baseline.groups));
  log(`stalled: bot S's status UPDATE blocked on a row lock for ${holdMs} ms, same load`);
  result.stalled = await stallRun(stack, { stuck: true, bots, holdMs, sizes, warmup });
  log(JSON.stringify({ stall: result.stalled.stall, groups: result.stalled.groups }));
  const base = result.baseline.groups.unrelated.latencyMs.p99;
  const stalled = result.stalled.groups.unrelated.latencyMs.p99;
  const s = result.stalled.groups.stuckBot;
  const lost = result.baseline.lost + result.stalled.lost;
  result.targets = {
    unrelatedP99: {
      target: `< baseline p99 + 250 ms (${round(base + 250)})`,
      value: stalled,
      met: stalled !== null && base !== null && stalled < base + 250,
    },
    lost: { target: '= 0', value: lost, met: lost === 0 },
    stuckBotInOrder: {
      target: '= 0 order violations',
      value: s.orderViolations,
      met: s.orderViolations === 0 && s.lost === 0,
    },
    stuckJobBlocked: {
      target: 'the job did block',
      value: result.stalled.stall.stuckJobBlocked,
      met: result.stalled.stall.stuckJobBlocked === true,
    },
  };
  return result;
}

function stallRows(r) {
  const b = r.baseline.groups;
  const s = r.stalled.groups;
  const t = r.targets;
  const lat = (g) => `${g.latencyMs.p50}/${g.latencyMs.p99}/${g.latencyMs.max}`;
  const stuckLabel = r.sharded ? 'one shard stuck' : 'one stage-1 job stuck';
  const lastReply = (ms) => (ms >= 0 ? `last ${ms} ms after` : `last ${-ms} ms before it`);
  const rows = [
    ['stage-1 stall', 'design', r.sharded ? `${r.shards} shards, serial each` : 'one queue, concurrent jobs', ''],
    [
      '',
      `bot S's status webhook: its UPDATE held on a row lock ${r.holdMs} ms`,
      r.stalled.stall.stuckJobBlocked
        ? `blocked ${r.stalled.stall.blockedAfterMs} ms after its POST, ${r.stalled.stall.blockedAtRelease[0]?.waitedMs} ms in all`
        : 'never blocked',
      pass(t.stuckJobBlocked.met),
    ],
    [
      '',
      `unrelated users (${b.unrelated.users} × 3${r.sharded ? ', other shards' : ''}) p50/p99/max ms: baseline`,
      lat(b.unrelated),
      '',
    ],
    [
      '',
      `unrelated users p50/p99/max ms: ${stuckLabel}`,
      lat(s.unrelated),
      `p99 < ${round(b.unrelated.latencyMs.p99 + 250)} ${pass(t.unrelatedP99.met)}`,
    ],
    [
      '',
      `bot S's users (${s.stuckBot.users} × 3) p50/max ms; replies after the release`,
      `${s.stuckBot.latencyMs.p50}/${s.stuckBot.latencyMs.max}; ${s.stuckBot.repliedAfterRelease} of ${s.stuckBot.messages}, ${lastReply(s.stuckBot.lastReplyAfterReleaseMs)}`,
      `in order ${pass(t.stuckBotInOrder.met)}`,
    ],
  ];
  if (s.sameShard)
    rows.push([
      '',
      `a bot sharing the stuck shard (${s.sameShard.users} × 3) p50/max ms`,
      `${s.sameShard.latencyMs.p50}/${s.sameShard.latencyMs.max}`,
      '',
    ]);
  rows.push(
    ['', 'lost replies (both runs)', r.baseline.lost + r.stalled.lost, `= 0 ${pass(t.lost.met)}`],
    [
      '',
      `reference: ${r.reference.design}`,
      `${r.reference.unrelatedUser3MessagesMs.toLocaleString('en-US')} ms instead of ${r.reference.baselineMs} ms`,
      '(an unrelated user, measured once)',
    ],
  );
  return rows;
}

function stallGroups(r) {
  const b = r.baseline.groups.unrelated.latencyMs;
  const s = r.stalled.groups.unrelated.latencyMs;
  return [
    {
      title: `Stage-1 stall (${r.holdMs} ms): unrelated users' webhook → reply latency`,
      unit: 'ms',
      bars: [
        { label: 'baseline p50', value: b.p50 ?? 0, color: '#999' },
        { label: 'baseline p99', value: b.p99 ?? 0, color: '#999' },
        { label: 'one job stuck p50', value: s.p50 ?? 0 },
        { label: 'one job stuck p99', value: s.p99 ?? 0, note: `(target < ${round((b.p99 ?? 0) + 250)})` },
        { label: "bot S's users, max", value: r.stalled.groups.stuckBot.latencyMs.max ?? 0, color: '#d33' },
      ],
    },
  ];
}

export const benchmarks = [
  {
    id: 'bursts',
    key: 'bursts',
    title: '6. burst corpus: one turn per message vs. turns (settings.turn)',
    run: runBursts,
    rows: burstRows,
    groups: burstGroups,
  },
  {
    id: 'stall',
    key: 'stage1Stall',
    title: '7. stage-1 stall: one stuck stage-1 job, unrelated users keep writing',
    run: runStall,
    rows: stallRows,
    groups: stallGroups,
  },
];
