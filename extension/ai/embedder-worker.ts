import { serveEmbedder, type WorkerScope } from './embedder-worker-host';

/**
 * The embedder's dedicated worker, started by the offscreen document (embedder-worker-client.ts). In
 * Chromium every extension page shares one main thread, so a model call in the offscreen document held
 * up the side panel for as long as it ran; here it runs on its own thread (and onnxruntime's pthreads).
 * Calls are ordered by priority (text-embedder.ts): a query waits for at most the one indexing batch
 * already running. The worker dies with the document that started it; the next document starts another.
 */
serveEmbedder(globalThis as unknown as WorkerScope);
