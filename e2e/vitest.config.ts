import { defineConfig } from 'vitest/config';

// The end-to-end suite: the built extension (EXT_DIR, default .output/chrome-mv3) driven in Debian's
// Chromium by puppeteer-core. One Chromium at a time — CI has two cores, and two browsers at once make
// every bounded wait in the suite slower and flakier — so files run one after another.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    // A real browser on a shared 2-core machine occasionally misses a bounded wait; one retry keeps a
    // slow run from failing CI, and the JSON report still counts a test that fails twice.
    retry: 1,
  },
});
