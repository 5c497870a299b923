import { defineConfig } from 'vitest/config';

// One config, three projects: unit tests (*.test.ts) need nothing running (no global set-up: they
// pass with Redis and PostgreSQL stopped); integration tests
// (*.int.test.ts) use real Redis and PostgreSQL, each file with its own database and key prefix;
// `cluster` runs the end-to-end round trip, ordering and crash tests again on a local 3-node Redis
// Cluster (docs/contract.md: REDIS_CLUSTER_NODES); `faults` runs the fault-injection suite
// (docs/reliability.md) alone, after the others (sequence.groupOrder): its promises include
// recovery times, which the other files' CPU would distort.
const shared = {
  resolve: { conditions: ['@wabot/source'] },
  ssr: { resolve: { conditions: ['@wabot/source'] } },
};

const globalSetup = ['./tools/vitest-global-setup.ts'];
const FAULTS = 'services/worker/src/faults/*.e2e.test.ts';

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          // Nothing is running for unit tests: a test that reaches for Redis or PostgreSQL through
          // the usual variables fails here instead of quietly needing them.
          env: {
            REDIS_URL: 'redis://127.0.0.1:1',
            DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/unit-tests-have-no-database',
          },
          include: [
            'packages/*/src/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'bench/**/*.test.ts',
            'tools/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        ...shared,
        test: {
          name: 'int',
          globalSetup,
          include: [
            'packages/*/src/**/*.int.test.ts',
            'services/*/src/**/*.int.test.ts',
            'tools/**/*.int.test.ts',
            'tests/**/*.e2e.test.ts',
            'services/*/src/**/*.e2e.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**', FAULTS],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'faults',
          globalSetup,
          include: [FAULTS],
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'cluster',
          globalSetup,
          include: [
            'tests/walking-skeleton.e2e.test.ts',
            'services/worker/src/ordering.int.test.ts',
            'services/worker/src/crash.e2e.test.ts',
            'services/worker/src/turns-crash.e2e.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
