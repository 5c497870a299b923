import { defineConfig } from 'vitest/config';

// One config, two projects: unit tests (*.test.ts) need nothing; integration tests
// (*.int.test.ts) use real Redis and PostgreSQL, each file with its own database and key prefix.
const shared = {
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
};

export default defineConfig({
  ...shared,
  test: {
    globalSetup: ['./tools/vitest-global-setup.ts'],
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
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
          include: [
            'packages/*/src/**/*.int.test.ts',
            'services/*/src/**/*.int.test.ts',
            'tools/**/*.int.test.ts',
            'tests/**/*.e2e.test.ts',
            'services/*/src/**/*.e2e.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
