import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Files the extension build copies next to its own output so nothing AI-related loads from a CDN:
 * the bundled embedding model (→ `models/use-lite/…`, with LICENSE and NOTICE) and onnxruntime-web's
 * WASM runtime that transformers.js' browser build uses (→ `ort/…`; its `onnxruntime-web/webgpu` import
 * runs the `.asyncify` variant). extension/ai/embedder.ts points transformers.js at these two folders
 * with chrome.runtime.getURL. Used by wxt.config.ts (build time, Node only).
 */
export const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function aiPublicAssets(root: string): { absoluteSrc: string; relativeDest: string }[] {
  const models = resolve(root, 'wasm/models');
  const ort = resolve(root, 'node_modules/onnxruntime-web/dist');
  return [
    ...walk(models).map((p) => ({ absoluteSrc: p, relativeDest: `models/${relative(models, p).split('\\').join('/')}` })),
    ...ORT_FILES.map((f) => ({ absoluteSrc: join(ort, f), relativeDest: `ort/${f}` })),
  ];
}

/**
 * Vite plugin: drops the hashed copy of onnxruntime's WASM that Vite emits for the runtime's own
 * `new URL('….wasm', import.meta.url)` fallback. The embedder always sets `wasmPaths` to the `ort/`
 * copy above, so the hashed one is never fetched — it only made the package 27 MB larger.
 */
export function dropUnusedOrtWasm() {
  const pattern = new RegExp(`(^|/)${ORT_FILES[1]!.replace(/\.wasm$/, '').replace(/\./g, '\\.')}-[\\w-]+\\.wasm$`);
  return {
    name: 'calico-drop-unused-ort-wasm',
    apply: 'build' as const,
    generateBundle(_options: unknown, bundle: Record<string, unknown>) {
      for (const file of Object.keys(bundle)) if (pattern.test(file)) delete bundle[file];
    },
  };
}
