// Renders a V8 .cpuprofile (node --cpu-prof) as a flame graph SVG: width = share of CPU samples,
// each bar's parent below it, siblings merged by function. Hover a bar for its name and share.
// Usage: node bench/lib/flamegraph.mjs in.cpuprofile out.svg [--title "..."] [--min-share 0.002]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const WIDTH = 1200;
const ROW = 17;

const escapeXml = (s) =>
  String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 14).replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
  const main = url.indexOf('/services/') >= 0 ? url.indexOf('/services/') : url.indexOf('/packages/');
  return main >= 0 ? url.slice(main + 1) : url.replace(/^file:\/\//, '');
}

function colorOf(frame) {
  const url = frame.url ?? '';
  if (frame.functionName === '(garbage collector)') return '#b0b0b0';
  if (frame.functionName === '(idle)' || frame.functionName === '(program)') return '#dddddd';
  if (url.includes('/node_modules/')) return '#f2a65a';
  if (url.includes('/services/') || url.includes('/packages/')) return '#6cc070';
  if (url.startsWith('node:')) return '#7aa6d8';
  return '#e06c5a';
}

/** Builds a merged call tree {name, frame, value (µs), children: Map} from a profile. */
export function callTree(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const build = (node) => {
    const frame = node.callFrame;
    const name =
      `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`.trim();
    const out = { name, frame, value: self.get(node.id) ?? 0, children: new Map() };
    for (const childId of node.children ?? []) {
      const child = build(byId.get(childId));
      const same = out.children.get(child.name);
      if (same) merge(same, child);
      else out.children.set(child.name, child);
      out.value += child.value;
    }
    return out;
  };
  const merge = (into, from) => {
    into.value += from.value;
    for (const [key, child] of from.children) {
      const same = into.children.get(key);
      if (same) merge(same, child);
      else into.children.set(key, child);
    }
  };
  return build(byId.get(profile.nodes[0].id));
}

/** The SVG text of a flame graph of `profile`. */
export function flameGraphSvg(
  profile,
  { title = 'CPU flame graph', minShare = 0.002, maxDepth: depthLimit = 48 } = {},
) {
  const root = callTree(profile);
  const total = root.value || 1;
  const rects = [];
  let maxDepth = 0;
  const walk = (node, x, depth) => {
    const w = (node.value / total) * WIDTH;
    if (node.value / total < minShare || depth > depthLimit) return;
    maxDepth = Math.max(maxDepth, depth);
    rects.push({ node, x, w, depth });
    let cx = x;
    for (const child of [...node.children.values()].sort((a, b) => b.value - a.value)) {
      walk(child, cx, depth + 1);
      cx += (child.value / total) * WIDTH;
    }
  };
  walk(root, 0, 0);
  const height = (maxDepth + 1) * ROW + 40;
  const parts = rects.map(({ node, x, w, depth }) => {
    const y = height - (depth + 1) * ROW - 10;
    const share = ((node.value / total) * 100).toFixed(2);
    const label = w > 60 ? escapeXml(node.name.slice(0, Math.floor(w / 6.5))) : '';
    return `<g><title>${escapeXml(node.name)} — ${share}%</title><rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w - 0.5, 0.5).toFixed(1)}" height="${ROW - 1}" fill="${colorOf(node.frame)}"/>${label ? `<text x="${(x + 3).toFixed(1)}" y="${y + 12}" font-size="11">${label}</text>` : ''}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace"><title>${escapeXml(title)}</title><rect width="100%" height="100%" fill="white"/><text x="6" y="18" font-size="14" font-family="sans-serif">${escapeXml(title)} (green: our code, orange: dependencies, blue: Node internals; hover for names)</text>${parts.join('')}</svg>\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [input, output, ...rest] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node bench/lib/flamegraph.mjs in.cpuprofile out.svg [--title T] [--min-share 0.002]');
    process.exit(2);
  }
  const opt = (name) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const profile = JSON.parse(readFileSync(input, 'utf8'));
  writeFileSync(
    output,
    flameGraphSvg(profile, { title: opt('--title') ?? input, minShare: Number(opt('--min-share') ?? 0.002) }),
  );
  console.log(`flame graph: ${output}`);
}
