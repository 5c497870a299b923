// Per-request cost of an HTTP server from a CPU profile or a sampling heap profile taken over a
// known number of requests: self time (or bytes allocated) per request, grouped into what the
// ingress does beyond a bare route. Used by bench/ingress-vs-bare.mjs and docs/performance.md.

/** The group a profile node's frame belongs to. Order matters: the first match wins. */
const GROUPS = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['writing the answer (HTTP socket)', (f) => f.functionName === 'writeUtf8String'],
  ['writing to Redis (socket)', (f) => f.functionName === 'writeBuffer' || f.functionName === 'writev'],
  [
    'HMAC-SHA256 of the body',
    (f) => /node:internal\/crypto|webhook-signature/.test(f.url) || f.functionName === 'hexWrite',
  ],
  ["BullMQ's JSON.stringify of the job", (f) => f.functionName === 'asJSON' && f.url.includes('bullmq')],
  ['the webhook handler (JSON.parse inlined)', (f) => f.url.includes('webhook-routes')],
  [
    'JSON.parse (Fastify’s parser)',
    (f) => f.url.includes('secure-json-parse') || f.functionName.startsWith('RegExp: "(?:'),
  ],
  [
    'BullMQ, ioredis, zod, batcher, bot lookup, metrics',
    (f) =>
      /\/(bullmq|ioredis|zod|msgpackr|redis-parser|standard-as-callback|prom-client|cluster-key-slot|denque)\//.test(
        f.url,
      ) || /webhook-batcher|bot-registry|ingress-metrics|packages\/(queue|contracts)\//.test(f.url),
  ],
  [
    'start-up work inside the window',
    (f) =>
      /node:internal\/modules|\/wasm|@prisma|\/avvio\//.test(f.url) || f.functionName === 'compileSourceTextModule',
  ],
];
const REST = 'HTTP parsing, Fastify, streams, promises, timers, the rest';

/** The group name of a call frame ({functionName, url}). */
export function groupOf(frame) {
  for (const [name, test] of GROUPS) if (test(frame)) return name;
  return REST;
}

// Frames V8 names itself; any other frame without a script (a native method such as a crypto
// handle's `init`) belongs to the group of the JavaScript that called it.
const OWN_GROUP = new Set([
  '(idle)',
  '(garbage collector)',
  '(program)',
  '(root)',
  'writeUtf8String',
  'writeBuffer',
  'writev',
]);
const inheritsGroup = (frame) => frame.url === '' && !OWN_GROUP.has(frame.functionName);

/** Group of every node of a profile tree given as nodes with `children` ids (CPU profile). */
function groupsOfNodes(nodes) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const groups = new Map();
  const resolve = (id) => {
    const known = groups.get(id);
    if (known) return known;
    const node = byId.get(id);
    const parent = parentOf.get(id);
    const group = inheritsGroup(node.callFrame) && parent !== undefined ? resolve(parent) : groupOf(node.callFrame);
    groups.set(id, group);
    return group;
  };
  for (const node of nodes) resolve(node.id);
  return groups;
}

/** Self time per request in µs by group, from a V8 CPU profile (Profiler.stop / .cpuprofile), idle excluded. */
export function cpuPerRequest(profile, requests) {
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const groupOfNode = groupsOfNodes(profile.nodes);
  const groups = new Map();
  for (const node of profile.nodes) {
    const group = groupOfNode.get(node.id);
    if (group === 'idle') continue;
    groups.set(group, (groups.get(group) ?? 0) + (selfUs.get(node.id) ?? 0) / requests);
  }
  return groups;
}

/** Bytes allocated per request, by group, from a sampling heap profile (HeapProfiler.stopSampling). */
export function allocationPerRequest(heapProfile, requests) {
  const groups = new Map();
  const walk = (node, parentGroup) => {
    const group = inheritsGroup(node.callFrame) && parentGroup ? parentGroup : groupOf(node.callFrame);
    groups.set(group, (groups.get(group) ?? 0) + node.selfSize / requests);
    for (const child of node.children ?? []) walk(child, group);
  };
  walk(heapProfile.head, null);
  return groups;
}

/** A markdown table of per-request figures for several servers: rows = groups, columns = servers. */
export function formatComparison(columns, unit, digits = 1) {
  const names = Object.keys(columns);
  const groups = new Set(names.flatMap((name) => [...columns[name].keys()]));
  const total = (name) => [...columns[name].values()].reduce((a, b) => a + b, 0);
  const rows = [...groups].sort((a, b) => (columns[names[0]].get(b) ?? 0) - (columns[names[0]].get(a) ?? 0));
  const lines = [`| per request (${unit}) | ${names.join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`];
  for (const group of rows) {
    lines.push(`| ${group} | ${names.map((n) => (columns[n].get(group) ?? 0).toFixed(digits)).join(' | ')} |`);
  }
  lines.push(`| **total** | ${names.map((n) => `**${total(n).toFixed(digits)}**`).join(' | ')} |`);
  return lines.join('\n');
}
