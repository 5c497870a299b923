import { describe, expect, it } from 'vitest';
import { callTree, flameGraphSvg } from './flamegraph.mjs';

// A tiny profile: root → main → {hot (3 samples of 10 µs), cold (1 sample)}, two `hot` nodes merged.
const profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2] },
    {
      id: 2,
      callFrame: { functionName: 'main', url: 'file:///x/services/ingress/dist/main.js', lineNumber: 0 },
      children: [3, 4, 5],
    },
    {
      id: 3,
      callFrame: { functionName: 'hot', url: 'file:///x/node_modules/dep/index.js', lineNumber: 9 },
      children: [],
    },
    { id: 4, callFrame: { functionName: 'cold', url: 'node:internal/x', lineNumber: 1 }, children: [] },
    {
      id: 5,
      callFrame: { functionName: 'hot', url: 'file:///x/node_modules/dep/index.js', lineNumber: 9 },
      children: [],
    },
  ],
  samples: [3, 3, 4, 5],
  timeDeltas: [10, 10, 10, 10],
};

describe('flame graph', () => {
  it('sums sample time up the tree and merges siblings of the same function', () => {
    const root = callTree(profile);
    expect(root.value).toBe(40);
    const main = [...root.children.values()][0];
    expect(main?.value).toBe(40);
    const children = [...(main?.children.values() ?? [])].map((c) => [c.name, c.value]);
    expect(children).toEqual([
      ['hot dep/index.js:10', 30],
      ['cold node:internal/x:2', 10],
    ]);
  });

  it('draws one bar per merged frame, widths proportional to time', () => {
    const svg = flameGraphSvg(profile, { title: 't' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
    expect(svg).toContain('<title>hot dep/index.js:10 — 75.00%</title>');
    expect(svg).toMatch(/<title>hot[^<]*<\/title><rect x="0.0" y="\d+" width="899.5"/);
  });
});
