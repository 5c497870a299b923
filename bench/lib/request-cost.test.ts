import { describe, expect, it } from 'vitest';
import { allocationPerRequest, cpuPerRequest, formatComparison, groupOf } from './request-cost.mjs';

const frame = (functionName: string, url = '') => ({ functionName, url });

describe('request cost', () => {
  it('sorts frames into the groups the docs use', () => {
    expect(groupOf(frame('(idle)'))).toBe('idle');
    expect(groupOf(frame('Hmac', 'node:internal/crypto/hash'))).toBe('HMAC-SHA256 of the body');
    expect(groupOf(frame('asJSON', 'file:///x/node_modules/bullmq/dist/cjs/classes/job.js'))).toBe(
      "BullMQ's JSON.stringify of the job",
    );
    expect(groupOf(frame('addJob', 'file:///x/node_modules/bullmq/dist/cjs/classes/queue.js'))).toBe(
      'BullMQ, ioredis, zod, batcher, bot lookup, metrics',
    );
    expect(groupOf(frame('_parse', 'file:///x/node_modules/secure-json-parse/index.js'))).toBe(
      'JSON.parse (Fastify’s parser)',
    );
    expect(groupOf(frame('parserOnIncoming', 'node:_http_server'))).toBe(
      'HTTP parsing, Fastify, streams, promises, timers, the rest',
    );
  });

  it('divides self time by the requests served, leaving idle out', () => {
    const profile = {
      nodes: [
        { id: 0, callFrame: frame('(root)'), children: [1, 2, 3] },
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('Hmac', 'node:internal/crypto/hash'), children: [4] },
        { id: 3, callFrame: frame('parserOnIncoming', 'node:_http_server') },
        // A native method without a script counts for the JavaScript that called it.
        { id: 4, callFrame: frame('init') },
      ],
      samples: [1, 2, 2, 3, 4],
      timeDeltas: [500, 100, 300, 200, 100],
    };
    const cost = cpuPerRequest(profile, 100);
    expect(cost.get('HMAC-SHA256 of the body')).toBe(5);
    expect(cost.get('HTTP parsing, Fastify, streams, promises, timers, the rest')).toBe(2);
    expect(cost.has('idle')).toBe(false);
  });

  it('sums allocation over the whole tree and formats a comparison with totals', () => {
    const heap = {
      head: {
        callFrame: frame('(root)'),
        selfSize: 0,
        children: [
          { callFrame: frame('asJSON', 'file:///n/node_modules/bullmq/job.js'), selfSize: 2000, children: [] },
          { callFrame: frame('x', 'node:_http_server'), selfSize: 1000, children: [] },
        ],
      },
    };
    const ingress = allocationPerRequest(heap, 10);
    expect(ingress.get("BullMQ's JSON.stringify of the job")).toBe(200);
    const table = formatComparison(
      { ingress, bare: new Map([['HTTP parsing, Fastify, streams, promises, timers, the rest', 50]]) },
      'B',
    );
    expect(table).toContain("| BullMQ's JSON.stringify of the job | 200.0 | 0.0 |");
    expect(table).toContain('| **total** | **300.0** | **50.0** |');
  });
});
