import { wasmThreads } from './embedder';
import type { WorkerReply, WorkerRequest } from './embedder-worker-protocol';
import { ScheduledEmbedder } from './text-embedder';

/** The worker side of the protocol (embedder-worker.ts runs it on the worker's own scope; tests on a
 * MessageChannel port as the test double of a worker). */
export interface WorkerScope {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Loads the model when asked and answers embed requests, queries (urgent) before waiting indexing batches. */
export function serveEmbedder(scope: WorkerScope, load: typeof ScheduledEmbedder.load = ScheduledEmbedder.load): void {
  let embedder: Promise<ScheduledEmbedder> | undefined;
  scope.onmessage = ({ data }) => {
    if (data.kind === 'load') {
      // onnxruntime falls back to one thread without SharedArrayBuffer (a worker that is not isolated).
      const threads = scope.crossOriginIsolated === true ? (data.options.numThreads ?? wasmThreads(scope)) : 1;
      embedder = load({ ...data.options, numThreads: threads });
      embedder.then(
        () => scope.postMessage({ kind: 'loaded', threads, crossOriginIsolated: scope.crossOriginIsolated === true }),
        (error: unknown) => scope.postMessage({ kind: 'load-failed', message: messageOf(error) }),
      );
      return;
    }
    const { id, texts, purpose, priority } = data;
    if (!embedder) {
      scope.postMessage({ kind: 'failed', id, message: 'the embedding worker was not loaded' });
      return;
    }
    embedder
      .then((e) => e.embed(texts, purpose, priority))
      .then(
        (vectors) => scope.postMessage({ kind: 'embedded', id, vectors }, vectors.map((v) => v.buffer as ArrayBuffer)),
        (error: unknown) => scope.postMessage({ kind: 'failed', id, message: messageOf(error) }),
      );
  };
}
