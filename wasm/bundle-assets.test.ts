import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { aiPublicAssets, dropUnusedOrtWasm } from './bundle-assets';
import { ORT_WASM_BASENAME } from '../extension/ai/embedder';

describe('files the extension build ships for on-device AI', () => {
  const assets = aiPublicAssets(resolve(import.meta.dirname, '..'));
  const dests = assets.map((a) => a.relativeDest);

  it('ships the bundled model with its licence and the ONNX runtime variant the embedder points at', () => {
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_fp16.onnx', 'LICENSE', 'NOTICE']) {
      expect(dests).toContain(`models/use-lite/${f}`);
    }
    expect(dests).toContain(`ort/${ORT_WASM_BASENAME}.mjs`);
    expect(dests).toContain(`ort/${ORT_WASM_BASENAME}.wasm`);
  });

  it('every source file exists', () => {
    for (const a of assets) expect(existsSync(a.absoluteSrc), a.absoluteSrc).toBe(true);
  });
});

describe('dropUnusedOrtWasm', () => {
  it('drops only the hashed copy of the runtime WASM Vite emits', () => {
    const bundle: Record<string, unknown> = {
      'assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm': {},
      'assets/topk-Ab12_x.wasm': {},
      'chunks/embedder-DIhopTF0.js': {},
      'ort/ort-wasm-simd-threaded.asyncify.wasm': {},
    };
    dropUnusedOrtWasm().generateBundle({}, bundle);
    expect(Object.keys(bundle).sort()).toEqual(['assets/topk-Ab12_x.wasm', 'chunks/embedder-DIhopTF0.js', 'ort/ort-wasm-simd-threaded.asyncify.wasm']);
  });
});
