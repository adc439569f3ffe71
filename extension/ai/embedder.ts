import { env, pipeline, type FeatureExtractionPipeline, type ProgressInfo } from '@huggingface/transformers';

/**
 * Sentence embeddings on the device with transformers.js (onnxruntime-web WASM in the browser,
 * onnxruntime-node in Node). The default model ships inside the extension (wasm/models/use-lite, copied
 * to `models/` in the build) and the ONNX runtime's WASM files ship too (`ort/` in the build), so loading
 * it sends no request anywhere. A hub model is an explicit user choice: only then are remote models
 * allowed, and its download reports progress.
 *
 * Works in Node and browsers: no Node-only imports. Node callers pass `localModelPath` (a folder path);
 * in an extension page/offscreen document the bundled URLs are found with chrome.runtime.getURL.
 */

export interface EmbeddingModel {
  /** Recorded with every vector; for hub models the hub id. */
  id: string;
  /** The folder name under localModelPath (bundled) or the hub id. */
  path: string;
  source: 'bundled' | 'hub';
  dims: number;
  maxTokens: number;
  /** USE-lite's vocabulary is cased and splits ALL-CAPS words into fragments: lower-casing helps it. */
  lowerCase: boolean;
  dtype: 'fp32' | 'fp16' | 'q8';
  pooling: 'mean' | 'cls';
  /** Prepended to queries only (asymmetric models such as bge). */
  queryPrefix?: string;
  label: string;
}

export const BUNDLED_MODEL: EmbeddingModel = {
  id: 'use-lite',
  path: 'use-lite',
  source: 'bundled',
  dims: 512,
  maxTokens: 128,
  lowerCase: true,
  // fp16 storage is the fastest variant in WASM (the int8 weight-only one is dequantised per call).
  dtype: 'fp16',
  pooling: 'mean',
  label: 'Universal Sentence Encoder lite (bundled, 512-d)',
};

/** Stronger models a user may opt into in options; they need the network once, then the browser cache. */
export const HUB_MODELS: readonly EmbeddingModel[] = [
  {
    id: 'Xenova/all-MiniLM-L6-v2',
    path: 'Xenova/all-MiniLM-L6-v2',
    source: 'hub',
    dims: 384,
    maxTokens: 256,
    lowerCase: false,
    dtype: 'q8',
    pooling: 'mean',
    label: 'all-MiniLM-L6-v2 (download, 384-d)',
  },
  {
    id: 'Xenova/bge-small-en-v1.5',
    path: 'Xenova/bge-small-en-v1.5',
    source: 'hub',
    dims: 384,
    maxTokens: 512,
    lowerCase: false,
    dtype: 'q8',
    pooling: 'cls',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    label: 'bge-small-en-v1.5 (download, 384-d)',
  },
];

export const EMBEDDING_MODELS: readonly EmbeddingModel[] = [BUNDLED_MODEL, ...HUB_MODELS];

export function findModel(id: string): EmbeddingModel | undefined {
  return EMBEDDING_MODELS.find((m) => m.id === id);
}

export interface EmbedderOptions {
  model?: EmbeddingModel;
  /** Folder holding bundled models (Node: a path; browser: a URL). Default in an extension: getURL('models/'). */
  localModelPath?: string;
  /** Folder (URL, ending in /) holding onnxruntime-web's ort-wasm-simd-threaded.asyncify.{mjs,wasm}, the
   * variant transformers.js' browser build runs. Default in an extension: getURL('ort/') (see
   * wasm/bundle-assets.ts, which copies them there at build time). */
  wasmPaths?: string;
  /** onnxruntime-web build under wasmPaths (default ORT_WASM_BASENAME, the one transformers.js' browser
   * import loads; the throughput bench also measures the plain `ort-wasm-simd-threaded`). */
  ortBasename?: string;
  /** Download / load progress (hub models report bytes; the bundled one reports file loads). */
  onProgress?: (info: ProgressInfo) => void;
  /** Texts per model call. 32 measured best for USE-lite on one thread. */
  batchSize?: number;
  /** WASM threads in the browser (SharedArrayBuffer needed for > 1). */
  numThreads?: number;
  /** 'wasm' / 'webgpu' in browsers, 'cpu' in Node; default lets transformers.js choose. */
  device?: 'wasm' | 'webgpu' | 'cpu';
}

/** onnxruntime-web variant that `onnxruntime-web/webgpu` (transformers.js' browser import) loads. */
export const ORT_WASM_BASENAME = 'ort-wasm-simd-threaded.asyncify';

export type EmbedPurpose = 'passage' | 'query';

/**
 * WASM threads for onnxruntime-web: more than one needs SharedArrayBuffer shared with workers, which a
 * document only has when cross-origin isolated (the extension's manifest opts in with COOP/COEP).
 * Otherwise onnxruntime falls back to one thread anyway. Half the cores, at most 4: the product runs
 * beside the person's own work, and past 4 the small encoder gains little.
 */
export function wasmThreads(scope: { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } }): number {
  if (scope.crossOriginIsolated !== true) return 1;
  const cores = scope.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}

interface ChromeLike {
  runtime?: { getURL?: (path: string) => string };
}

/** The URL of a file packaged with the extension, where chrome.runtime is available (not in Node or a worker). */
export function extensionUrl(path: string): string | undefined {
  const chromeApi = (globalThis as { chrome?: ChromeLike }).chrome;
  return chromeApi?.runtime?.getURL?.(path);
}

/** Lower-cases where the model wants it and collapses whitespace (page text is full of it). */
export function prepareText(text: string, model: EmbeddingModel, purpose: EmbedPurpose = 'passage'): string {
  let t = text.replace(/\s+/g, ' ').trim();
  if (model.lowerCase) t = t.toLowerCase();
  if (purpose === 'query' && model.queryPrefix) t = model.queryPrefix + t;
  return t;
}

export class Embedder {
  private constructor(
    readonly model: EmbeddingModel,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly batchSize: number,
  ) {}

  /** The model id to record with every vector this embedder makes. */
  get modelId(): string {
    return this.model.id;
  }

  get dims(): number {
    return this.model.dims;
  }

  static async load(options: EmbedderOptions = {}): Promise<Embedder> {
    const model = options.model ?? BUNDLED_MODEL;
    configureRuntime(model, options);
    const extractor = (await pipeline('feature-extraction', model.path, {
      dtype: model.dtype,
      ...(options.device ? { device: options.device } : {}),
      ...(options.onProgress ? { progress_callback: options.onProgress } : {}),
    })) as FeatureExtractionPipeline;
    return new Embedder(model, extractor, options.batchSize ?? 32);
  }

  /** One normalised Float32Array (model.dims values) per text, in order. Empty texts get zero vectors. */
  async embed(texts: readonly string[], purpose: EmbedPurpose = 'passage'): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(texts.length);
    const todo: { index: number; text: string }[] = [];
    texts.forEach((raw, index) => {
      const text = prepareText(raw, this.model, purpose);
      if (text) todo.push({ index, text });
      else out[index] = new Float32Array(this.dims);
    });
    for (let start = 0; start < todo.length; start += this.batchSize) {
      const batch = todo.slice(start, start + this.batchSize);
      const tensor = await this.extractor(
        batch.map((b) => b.text),
        { pooling: this.model.pooling, normalize: true },
      );
      const data = tensor.data as Float32Array;
      const dims = tensor.dims[tensor.dims.length - 1]!;
      if (dims !== this.dims) throw new Error(`model ${this.model.id} returned ${dims} dims, expected ${this.dims}`);
      batch.forEach((b, i) => {
        out[b.index] = data.slice(i * dims, (i + 1) * dims);
      });
      tensor.dispose?.();
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.embed([text], 'query'))[0]!;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}

/** Points transformers.js at bundled files; remote loading is allowed only for a hub model. */
function configureRuntime(model: EmbeddingModel, options: EmbedderOptions): void {
  const localModelPath = options.localModelPath ?? extensionUrl('models/');
  if (model.source === 'bundled') {
    if (!localModelPath) throw new Error('localModelPath is required outside the extension (the folder holding use-lite/)');
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = localModelPath.endsWith('/') ? localModelPath : `${localModelPath}/`;
  } else {
    env.allowRemoteModels = true;
    if (localModelPath) env.localModelPath = localModelPath;
  }
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } } | undefined;
  // Node runs onnxruntime-node: the WASM paths only matter in a browser (and a test's fake chrome.*
  // must not send transformers.js fetching chrome-extension:// URLs from Node).
  const inNode = typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;
  const wasmDir = options.wasmPaths ?? (inNode ? undefined : extensionUrl('ort/'));
  if (onnx?.wasm) {
    // Both files named explicitly: transformers.js otherwise fills in CDN URLs at import time.
    if (wasmDir) {
      const base = wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`;
      const name = options.ortBasename ?? ORT_WASM_BASENAME;
      onnx.wasm.wasmPaths = { mjs: `${base}${name}.mjs`, wasm: `${base}${name}.wasm` };
      // Packaged files: the Cache API refuses chrome-extension: URLs, and transformers.js' cached copy of
      // the runtime's .mjs is imported from a blob: URL, which the extension's CSP forbids (it skips that
      // only where `chrome` is defined, so not in the embedder's worker).
      if (base.startsWith('chrome-extension:')) (env as { useWasmCache?: boolean }).useWasmCache = false;
    }
    if (options.numThreads) onnx.wasm.numThreads = options.numThreads;
  }
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
