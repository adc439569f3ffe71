import { defineConfig } from 'wxt';
import tailwindcss from '@tailwindcss/vite';
import { resolve } from 'node:path';
import { searchEnginesPlugin } from './shared/search-engines/vite-plugin.ts';
import { aiPublicAssets, dropUnusedOrtWasm } from './wasm/bundle-assets.ts';

// The extension's source lives in extension/; code both sides use lives in shared/.
export default defineConfig({
  srcDir: 'extension',
  // Helpers building side by side each pass their own WXT_OUT_DIR so builds never clobber each other.
  outDir: process.env.WXT_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/module-vue'],
  alias: {
    '@shared': resolve(__dirname, 'shared'),
    '@wasm': resolve(__dirname, 'wasm'),
  },
  hooks: {
    // The embedding model and the ONNX runtime's WASM ship inside the extension (no CDN at run time).
    'build:publicAssets': (_wxt, files) => {
      files.push(...aiPublicAssets(__dirname));
    },
  },
  vite: () => ({
    plugins: [tailwindcss(), searchEnginesPlugin(), dropUnusedOrtWasm()],
  }),
  manifest: {
    name: 'CalicoLobster',
    description: 'Remembers what you read, finds it again by meaning, and answers with you — privately, on your machine first.',
    permissions: [
      'storage',
      'unlimitedStorage',
      'tabs',
      'webNavigation',
      'sidePanel',
      'contextMenus',
      'alarms',
      'offscreen',
      'scripting',
      'idle',
    ],
    host_permissions: ['<all_urls>'],
    incognito: 'not_allowed',
    action: { default_title: 'CalicoLobster' },
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
  },
});
