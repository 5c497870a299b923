// Reads V8 .cpuprofile files (node --cpu-prof) and sums self time per function and per package:
// the text version of a flame graph's widest leaves.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Which package or area a script URL belongs to (node_modules package, workspace dir, node:). */
function areaOf(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node: core';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const rel = path.relative(root, file);
  return rel.startsWith('..') ? file : rel.split('/').slice(0, 2).join('/');
}

/**
 * Self time per function and per area of one profile, in ms and % of the sampled time (idle
 * excluded from the percentages: they say where the busy time went).
 */
export function summariseCpuProfile(file, { top = 20 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map();
  const areas = new Map();
  let idleUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const where = url ? `${areaOf(url)}:${path.basename(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
    const area =
      functionName === '(garbage collector)'
        ? '(garbage collector)'
        : functionName === '(program)'
          ? '(program)'
          : areaOf(url);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Math.round((us / busyUs) * 1000) / 10 }));
  return {
    file: path.basename(file),
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    functions: rank(functions),
    areas: rank(areas),
  };
}

/** Markdown tables of a summary. */
export function formatSummary(summary, title) {
  const lines = [`### ${title}`, '', `busy ${summary.busyMs} ms, idle ${summary.idleMs} ms (${summary.file})`, ''];
  lines.push('| self time by area | ms | % of busy |', '|---|---:|---:|');
  for (const a of summary.areas) lines.push(`| ${a.name} | ${a.ms} | ${a.pct} |`);
  lines.push('', '| self time by function | ms | % of busy |', '|---|---:|---:|');
  for (const f of summary.functions) lines.push(`| \`${f.name}\` | ${f.ms} | ${f.pct} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2))
    console.log(`${formatSummary(summariseCpuProfile(file), path.basename(file))}\n`);
}
