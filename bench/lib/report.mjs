// Printing the table and writing results/<date>.json plus an SVG plot.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const escapeXml = (s) =>
  String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);

/** A horizontal bar chart per group: [{title, unit, bars:[{label, value, note?}]}]. */
function barChartSvg(groups) {
  const width = 900;
  const rowH = 26;
  const labelW = 300;
  let y = 20;
  const parts = [];
  for (const group of groups) {
    parts.push(`<text x="10" y="${y + 14}" font-weight="bold" font-size="15">${escapeXml(group.title)}</text>`);
    y += 28;
    const max = Math.max(...group.bars.map((b) => b.value), 1);
    for (const bar of group.bars) {
      const w = Math.max(1, ((width - labelW - 140) * bar.value) / max);
      parts.push(`<text x="10" y="${y + 16}" font-size="13">${escapeXml(bar.label)}</text>`);
      parts.push(
        `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${bar.color ?? '#25D366'}"/>`,
      );
      parts.push(
        `<text x="${labelW + w + 6}" y="${y + 16}" font-size="12">${escapeXml(`${bar.value.toLocaleString('en-US')} ${group.unit}${bar.note ? ` ${bar.note}` : ''}`)}</text>`,
      );
      y += rowH;
    }
    y += 14;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif"><title>wabot benchmark results</title><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>\n`;
}

export function writeResults(dir, results, groups) {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\..*/, '');
  const jsonFile = path.join(dir, `${stamp}.json`);
  const svgFile = path.join(dir, `${stamp}.svg`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(svgFile, barChartSvg(groups));
  return { jsonFile, svgFile };
}

export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [n, row] of rows.entries()) {
    console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
