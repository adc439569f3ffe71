import { BUNDLED_MODEL, extensionUrl, type EmbedderOptions, type EmbeddingModel, type EmbedPurpose } from './embedder';
import type { WorkerLoadOptions, WorkerReply, WorkerRequest } from './embedder-worker-protocol';
import type { EmbedPriority, TextEmbedder } from './text-embedder';

/** The part of a Worker this client uses (tests pass a test double). */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerReply>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

/** The bundled worker script. Vite sees this exact `new Worker(new URL(…))` form and bundles the worker as
 * its own module chunk (worker.format 'es' in wxt.config.ts). */
export function startEmbedderWorker(): WorkerLike {
  return new Worker(new URL('./embedder-worker.ts', import.meta.url), { type: 'module', name: 'embedder' }) as unknown as WorkerLike;
}

/** A path relative to the document made absolute, so the worker (whose base is its script) reads the same
 * file. Root-relative paths stay as they are: same origin, same file, and transformers.js reads a local
 * tokenizer only from a path, not from an http URL. Outside a browser (Node tests) nothing changes. */
function absolute(path: string): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return base && !path.startsWith('/') ? new URL(path, base).href : path;
}

interface Pending {
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

interface Running {
  worker: WorkerLike;
  loaded: Promise<void>;
  pending: Map<number, Pending>;
}

/**
 * The embedder running in a dedicated worker, seen from the offscreen document. The worker orders calls
 * by priority itself. If it dies (an uncaught error, the model crashing), every call waiting on it is
 * rejected at once, so no caller hangs (the indexing queue retries its batch), and the next call starts a
 * fresh worker. When the document closes, Chrome ends the worker with it.
 */
export class EmbedderWorkerClient implements TextEmbedder {
  private running: Running | undefined;
  private nextId = 1;
  private disposed = false;
  /** Threads the worker's model runs on and whether the worker is cross-origin isolated (after load). */
  threads = 1;
  crossOriginIsolated = false;

  private constructor(
    readonly model: EmbeddingModel,
    private readonly options: WorkerLoadOptions,
    private readonly createWorker: () => WorkerLike,
  ) {}

  /** Starts the worker and loads the model in it; rejects with the worker's reason if loading fails. */
  static async start(options: EmbedderOptions = {}, createWorker: () => WorkerLike = startEmbedderWorker): Promise<EmbedderWorkerClient> {
    const model = options.model ?? BUNDLED_MODEL;
    const localModelPath = options.localModelPath ?? extensionUrl('models/');
    if (!localModelPath) throw new Error('localModelPath is required outside the extension (the folder holding use-lite/)');
    const wasmPaths = options.wasmPaths ?? extensionUrl('ort/');
    const client = new EmbedderWorkerClient(
      model,
      {
        model,
        // The worker resolves nothing itself: absolute URLs, as the document sees them.
        localModelPath: absolute(localModelPath),
        ...(wasmPaths ? { wasmPaths: absolute(wasmPaths) } : {}),
        ...(options.numThreads ? { numThreads: options.numThreads } : {}),
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      },
      createWorker,
    );
    await client.spawn().loaded;
    return client;
  }

  private spawn(): Running {
    const worker = this.createWorker();
    const pending = new Map<number, Pending>();
    let settleLoad: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const loaded = new Promise<void>((resolve, reject) => (settleLoad = { resolve, reject }));
    const running: Running = { worker, loaded, pending };
    const fail = (error: Error) => {
      settleLoad?.reject(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      if (this.running === running) this.running = undefined;
      worker.terminate();
    };
    worker.addEventListener('message', ({ data }) => {
      if (data.kind === 'loaded') {
        this.threads = data.threads;
        this.crossOriginIsolated = data.crossOriginIsolated;
        settleLoad?.resolve();
      } else if (data.kind === 'load-failed') fail(new Error(data.message));
      else {
        const p = pending.get(data.id);
        pending.delete(data.id);
        if (data.kind === 'embedded') p?.resolve(data.vectors);
        else p?.reject(new Error(data.message));
      }
    });
    const died = (event: Event) => {
      const message = (event as ErrorEvent).message;
      fail(new Error(`the embedding worker stopped${message ? `: ${message}` : ''}`));
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      died(event);
    });
    worker.addEventListener('messageerror', died);
    worker.postMessage({ kind: 'load', options: this.options });
    this.running = running;
    return running;
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose = 'passage', priority: EmbedPriority = 'background'): Promise<Float32Array[]> {
    if (this.disposed) throw new Error('the embedder was disposed');
    if (!texts.length) return [];
    const running = this.running ?? this.spawn();
    await running.loaded;
    // Died (or disposed) between loading and now: its replies will never come.
    if (this.running !== running) throw new Error('the embedding worker stopped');
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      running.pending.set(id, { resolve, reject });
      running.worker.postMessage({ kind: 'embed', id, texts: [...texts], purpose, priority });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    running.worker.terminate();
    const error = new Error('the embedder was disposed');
    for (const p of running.pending.values()) p.reject(error);
    running.pending.clear();
  }
}
