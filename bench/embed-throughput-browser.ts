// Entry bundled by scripts/bench.mjs (esbuild) for `npm run bench -- embed-throughput`: the embedder in a
// headless Chromium page served with cross-origin isolation, as the offscreen document runs it. One page
// per thread count: onnxruntime-web fixes numThreads when its WASM first starts. Loading and measuring
// are two calls so the caller can read the renderer's CPU time around the measurement alone.
import { BUNDLED_MODEL, Embedder } from '../extension/ai/embedder';
import { measureThroughput, warmUp, type ThroughputConfig } from './embed-throughput-core';

interface PageOptions {
  texts: string[];
  threads: number;
  modelsUrl: string;
  wasmUrl: string;
  /** onnxruntime-web build: 'asyncify' (what the extension loads) or 'plain' (this page bundled with
   * onnxruntime-web's wasm-only entry instead of its WebGPU one). */
  ort?: 'asyncify' | 'plain';
}

let current: { embedder: Embedder; config: ThroughputConfig } | undefined;

async function loadEmbedder(o: PageOptions & { config: ThroughputConfig }): Promise<void> {
  await current?.embedder.dispose();
  const embedder = await Embedder.load({ localModelPath: o.modelsUrl, wasmPaths: o.wasmUrl, model: { ...BUNDLED_MODEL, dtype: o.config.dtype }, batchSize: o.config.batch, numThreads: o.threads, device: 'wasm', ...(o.ort === 'plain' ? { ortBasename: 'ort-wasm-simd-threaded' } : {}) });
  await warmUp((t) => embedder.embed(t), o.texts, o.config.batch);
  current = { embedder, config: o.config };
}

async function measure(o: PageOptions) {
  if (!current) throw new Error('loadEmbedder first');
  const { embedder, config } = current;
  const result = await measureThroughput((t) => embedder.embed(t), o.texts, config.batch);
  return {
    bench: 'embed-throughput',
    runtime: `${navigator.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'browser'} (onnxruntime-web wasm simd)`,
    dtype: config.dtype,
    batch: config.batch,
    threads: o.threads,
    ort: o.ort ?? 'asyncify',
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
    ...result,
  };
}

Object.assign(globalThis, { loadEmbedder, measure });
