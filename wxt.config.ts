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
  // Static files copied as they are (the toolbar icons).
  publicDir: 'extension/public',
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
    // The service worker can't load WebLLM (import() is disallowed there, and a GPU model in a worker
    // Chrome stops when idle would reload for every answer): left external, the background's WebLLM
    // engine reports itself unavailable instead of inlining ~6 MB into background.js.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.some((e) => e.type === 'background')) return;
      config.build ??= {};
      config.build.rollupOptions ??= {};
      const external = config.build.rollupOptions.external;
      config.build.rollupOptions.external = [...(Array.isArray(external) ? external : external ? [external as string] : []), '@mlc-ai/web-llm'];
    },
  },
  vite: () => ({
    plugins: [tailwindcss(), searchEnginesPlugin(), dropUnusedOrtWasm()],
    // The embedder's dedicated worker (extension/ai/embedder-worker.ts) is a module worker: onnxruntime
    // imports its WASM glue at run time, which an IIFE worker bundle can't hold.
    worker: { format: 'es' as const, plugins: () => [dropUnusedOrtWasm()] },
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
      // Connectors (issue 14): Google sign-in for Drive through launchWebAuthFlow.
      'identity',
    ],
    host_permissions: ['<all_urls>'],
    incognito: 'not_allowed',
    action: {
      default_title: 'CalicoLobster',
      default_icon: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    },
    // Rendered from extension/ui/LogoMark.vue by scripts/render-icons.mjs.
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    // Keyboard shortcuts (people change them at chrome://extensions/shortcuts); handled in
    // extension/assistant/actions/commands.ts. `_execute_action` opens the popup (the assistant).
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+A' }, description: 'Open the assistant' },
      'open-side-panel': { suggested_key: { default: 'Alt+Shift+S' }, description: 'Open the side panel' },
      'highlight-selection': { suggested_key: { default: 'Alt+Shift+H' }, description: 'Highlight the selection' },
      'ask-selection': { suggested_key: { default: 'Alt+Shift+K' }, description: 'Ask about the selection' },
    },
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    // Cross-origin isolation (issue 15, embedding throughput): with it the offscreen document gets
    // SharedArrayBuffer-backed threads for onnxruntime-web. `credentialless` rather than `require-corp`,
    // so the side panel's product images and favicons from other sites still load (without cookies).
    cross_origin_embedder_policy: { value: 'credentialless' },
    cross_origin_opener_policy: { value: 'same-origin' },
  },
});
