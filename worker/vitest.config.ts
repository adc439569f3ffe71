import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The worker's tests run inside workerd (the same runtime as `wrangler dev` and production), with the
// bindings of the root wrangler.toml. D1 migrations are read here in Node and applied by
// test/apply-migrations.ts; a loopback OpenAI-compatible test double is started by test/global-setup.ts.
const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      main: resolve(root, 'worker/src/index.ts'),
      wrangler: { configPath: resolve(root, 'wrangler.toml') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(resolve(root, 'worker/migrations')),
          LOG_REQUESTS: '0',
        },
      },
    })),
  ],
  test: {
    root,
    include: ['worker/**/*.test.ts'],
    setupFiles: [resolve(root, 'worker/test/apply-migrations.ts')],
    globalSetup: [resolve(root, 'worker/test/global-setup.ts')],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
