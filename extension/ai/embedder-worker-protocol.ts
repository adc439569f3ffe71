import type { EmbeddingModel, EmbedPurpose } from './embedder';
import type { EmbedPriority } from './text-embedder';

/** Messages between the offscreen document (embedder-worker-client.ts) and the embedder's dedicated
 * worker (embedder-worker.ts). Vectors come back as transferred Float32Arrays. */

/** Everything the worker needs to load the model: it has no chrome.* APIs, so URLs come resolved. */
export interface WorkerLoadOptions {
  model: EmbeddingModel;
  /** URL of the folder holding the bundled models. */
  localModelPath: string;
  /** URL of the folder holding onnxruntime-web's WASM files. */
  wasmPaths?: string;
  /** Default: wasmThreads() of the worker's own scope. */
  numThreads?: number;
  batchSize?: number;
}

export type WorkerRequest =
  | { kind: 'load'; options: WorkerLoadOptions }
  | { kind: 'embed'; id: number; texts: string[]; purpose: EmbedPurpose; priority: EmbedPriority };

export type WorkerReply =
  | { kind: 'loaded'; threads: number; crossOriginIsolated: boolean }
  | { kind: 'load-failed'; message: string }
  | { kind: 'embedded'; id: number; vectors: Float32Array[] }
  | { kind: 'failed'; id: number; message: string };
