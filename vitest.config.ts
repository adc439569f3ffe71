import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { searchEnginesPlugin } from './shared/search-engines/vite-plugin.ts';

// Unit tests of the extension, shared code and wasm kernels (Node; DOM tests opt into happy-dom with
// a `// @vitest-environment happy-dom` docblock). The worker and the e2e suite have configs of their own
// (worker/vitest.config.ts runs inside workerd, e2e/vitest.config.ts drives Chromium).
export default defineConfig({
  // vue(): component tests mount .vue files (WXT's vue module only applies to builds).
  plugins: [WxtVitest(), vue(), searchEnginesPlugin()],
  resolve: {
    alias: {
      '@shared': resolve(__dirname, 'shared'),
      '@wasm': resolve(__dirname, 'wasm'),
    },
  },
  test: {
    include: ['extension/**/*.test.ts', 'shared/**/*.test.ts', 'wasm/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'crawler/**/*.test.ts', 'docs-addon/**/*.test.ts'],
    setupFiles: ['fake-indexeddb/auto'],
    testTimeout: 30_000,
  },
});
