import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Two projects:
// - workerd: almost every worker test runs inside workerd (the runtime of `wrangler dev` and
//   production) with the bindings of the root wrangler.toml. D1 migrations are read here in Node and
//   applied by test/apply-migrations.ts; the loopback OpenAI-compatible test double is started in Node
//   by test/global-setup.ts.
// - node: `*.node.test.ts`, tests that drive a real `wrangler dev --local` from Node.
const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  test: {
    root,
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            main: resolve(root, 'worker/src/index.ts'),
            wrangler: { configPath: resolve(root, 'wrangler.toml') },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(resolve(root, 'worker/migrations')),
                LOG_REQUESTS: '0',
              },
              // Databases the setup file leaves alone: schema-state.test.ts runs the worker on a
              // directory that was never migrated, and on one that is missing the latest migration.
              d1Databases: { UNMIGRATED_DB: 'unmigrated-db', PARTIAL_DB: 'partial-db' },
            },
          })),
        ],
        test: {
          name: 'workerd',
          root,
          include: ['worker/**/*.test.ts'],
          exclude: ['worker/**/*.node.test.ts'],
          setupFiles: [resolve(root, 'worker/test/apply-migrations.ts')],
          globalSetup: [resolve(root, 'worker/test/global-setup.ts')],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'node',
          root,
          environment: 'node',
          include: ['worker/**/*.node.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 150_000,
        },
      },
    ],
  },
});
