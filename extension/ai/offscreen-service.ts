import { liveQuery } from 'dexie';
import { getDb, type CalicoDb, type ChunkRow } from '@/db/database';
import { onMessage } from '@/messaging/router';
import { HOLD_INT8_UP_TO, NOISE_PROBES, NoiseFloor, VectorIndex, blendQuery, quantizeInt8, resultFilter, type Int8Source, type VectorMeta } from '@/search/retrieval';
import type { AiStatus, MachineState, VectorFeedback, VectorFilters, VectorHitMessage } from '@shared/schemas/ai-messages';
import { restAfterBatch, type DutyCycle } from './machine-state';
import { chunkText } from './chunker';
import { BUNDLED_MODEL, findModel, prepareText, wasmThreads, type EmbedderOptions, type EmbeddingModel } from './embedder';
import { ScheduledEmbedder, type TextEmbedder } from './text-embedder';
import { QueryEmbeddingCache } from './query-embedding-cache';
import { IndexingQueue, MODEL_SETTING } from './indexing-queue';
import { VectorIndexStore } from '@/search/persist/vector-index-store';

/**
 * What the offscreen document runs: the embedder (transformers.js on onnxruntime-web WASM, bundled
 * files only), the in-memory vector index of every chunk, and the loop that drains the indexing queue
 * when the machine is idle. It answers vector searches for the side panel.
 *
 * Nothing here is the source of truth: the chunks live in IndexedDB, the work in the queue table. If
 * Chrome (or a test) closes this document, the next one rebuilds the index from the chunks table and
 * carries on with the queue where it stopped.
 */

type ChunkMeta = VectorMeta & Pick<ChunkRow, 'sourceKind' | 'sourceId' | 'url' | 'site' | 'title' | 'at'>;

export interface OffscreenServiceOptions {
  db?: CalicoDb;
  /** Passed to the embedder (tests in Node point these at folders). */
  localModelPath?: string;
  wasmPaths?: string;
  /** Sources per batch between idle checks. */
  batchItems?: number;
  /** Polling fallback when no change notification arrives. */
  pollMs?: number;
  /** Rest after each batch, as multiples of the time the batch took, in use and away (machine-state.ts). */
  dutyCycle?: DutyCycle;
  /** Whether the person is using the machine (the background's chrome.idle); unknown counts as in use. */
  machineState?: () => Promise<MachineState>;
  /** Rows up to which the int8 vectors stay in memory (VectorIndex's holdInt8UpTo; tests lower it). */
  holdInt8UpTo?: number;
  /** Loads the embedder: the offscreen document runs it in a dedicated worker (embedder-worker-client.ts);
   * default, in this thread. Either orders calls by priority, queries first. */
  loadEmbedder?: (options: EmbedderOptions) => Promise<TextEmbedder & { threads?: number }>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for a moment the page is idle (offscreen documents are never visible, so this rarely waits). */
function idle(timeout = 1000): Promise<void> {
  const ric = (globalThis as { requestIdleCallback?: (cb: () => void, o: { timeout: number }) => number }).requestIdleCallback;
  return new Promise((resolve) => (ric ? ric(() => resolve(), { timeout }) : setTimeout(resolve, 0)));
}

function metaOf(row: ChunkRow): ChunkMeta & { model: string; scale: number; vector: Int8Array } {
  // The chunk text stays in IndexedDB: holding 100k passages in memory would cost more than the vectors.
  const { text: _text, ordinal: _ordinal, ...rest } = row;
  return rest;
}

function filterOf(filters: VectorFilters): ((meta: ChunkMeta) => boolean) | undefined {
  const pass = resultFilter(filters);
  return pass && ((m) => pass({ kind: m.sourceKind, site: m.site, date: m.at }));
}

export class OffscreenService {
  private readonly db: CalicoDb;
  private embedder: (TextEmbedder & { threads?: number }) | undefined;
  private index: VectorIndex<ChunkMeta>;
  private noiseFloor: NoiseFloor<ChunkMeta>;
  /** The index's saved snapshot: opened from it, saved back between batches (search/persist/). */
  private readonly saved: VectorIndexStore<ChunkMeta>;
  private readonly probeVectors: () => Promise<Float32Array[]>;
  private queue: IndexingQueue;
  /** Query embeddings by the text the model reads: repeated and announced queries skip the model. */
  private readonly queries: QueryEmbeddingCache;
  private readonly ready: Promise<void>;
  private error: string | null = null;
  private stopped = false;
  private wake: (() => void) | undefined;
  private dirty = false;
  /** WASM threads the model runs on: a batch busy for t ms used up to threads × t of CPU. */
  private readonly threads = wasmThreads(globalThis);
  readonly model: EmbeddingModel;

  private constructor(model: EmbeddingModel, private readonly options: OffscreenServiceOptions) {
    this.db = options.db ?? getDb();
    this.model = model;
    // Past holdInt8UpTo rows only the binary codes stay in memory; a search reads its few hundred
    // candidates' int8 vectors back from the chunks table, which holds every row the index has.
    const int8Source: Int8Source = async (ids) => (await this.db.chunks.bulkGet([...ids])).map((row) => row && { vector: row.vector, scale: row.scale });
    const indexOptions = { dims: model.dims, model: model.id, int8Source, holdInt8UpTo: options.holdInt8UpTo ?? HOLD_INT8_UP_TO };
    this.index = new VectorIndex<ChunkMeta>(indexOptions);
    this.saved = new VectorIndexStore<ChunkMeta>({ db: this.db, index: indexOptions, rowOf: metaOf });
    let probes: Promise<Float32Array[]> | undefined;
    // The probes are embedded once; a failed attempt is forgotten so the next search tries again.
    this.probeVectors = () =>
      (probes ??= this.embed([...NOISE_PROBES], 'query', 'urgent').catch((error: unknown) => {
        probes = undefined;
        throw error;
      }));
    this.noiseFloor = new NoiseFloor(this.index, this.probeVectors);
    this.queries = new QueryEmbeddingCache(
      async (text) => (await this.embed([text], 'query', 'urgent'))[0]!,
      256,
      (text) => prepareText(text, model, 'query'),
    );
    this.queue = new IndexingQueue(
      {
        model: model.id,
        chunk: (text) => chunkText(text),
        embed: (texts) => this.embed(texts, 'passage', 'background'),
        quantize: (v) => quantizeInt8(v),
        // 8 texts per model call: the cheapest CPU per chunk for fp16 in WASM (bench/README.md, embedding
        // throughput), and a query waiting on the lock waits for 8 chunks, not 16.
        batchSize: 8,
        onCommit: ({ sourceKind, sourceId, added }) => {
          this.index.removeSource(sourceKind, sourceId);
          for (const row of added) this.index.addRow(metaOf(row));
          this.saved.markChanged();
        },
      },
      this.db,
    );
    this.ready = this.load();
  }

  /** Reads which model the user chose, then starts loading it (queries wait for `ready`). */
  static async start(options: OffscreenServiceOptions = {}): Promise<OffscreenService> {
    const db = options.db ?? getDb();
    const chosen = (await db.settings.get(MODEL_SETTING))?.value;
    const model = (typeof chosen === 'string' && findModel(chosen)) || BUNDLED_MODEL;
    return new OffscreenService(model, options);
  }

  private async embed(texts: readonly string[], purpose: 'passage' | 'query', priority: 'urgent' | 'background'): Promise<Float32Array[]> {
    if (!this.embedder) throw new Error(this.error ?? 'the embedding model is still loading');
    return this.embedder.embed(texts, purpose, priority);
  }

  private async load(): Promise<void> {
    // The index opens (snapshot + catch-up) while the model loads; searches need both.
    const opened = this.saved.open();
    opened.catch(() => undefined);
    await this.queue.setStatus('indexing');
    try {
      this.embedder = await (this.options.loadEmbedder ?? ScheduledEmbedder.load)({
        model: this.model,
        localModelPath: this.options.localModelPath,
        wasmPaths: this.options.wasmPaths,
        // Threads only where the document is cross-origin isolated (the manifest's COOP/COEP keys).
        numThreads: this.threads,
      });
    } catch (error) {
      this.error = `The embedding model failed to load: ${error instanceof Error ? error.message : String(error)}`;
      await this.queue.setStatus('error', this.error);
      throw new Error(this.error);
    }
    const { index, ...how } = await opened;
    this.index = index;
    this.noiseFloor = new NoiseFloor(this.index, this.probeVectors);
    console.info(`vector index: ${index.size} chunks from ${how.from} in ${how.ms.toFixed(0)} ms (${how.reread} sources re-read, ${how.removed} dropped)`);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  status(): AiStatus {
    return { ready: Boolean(this.embedder), model: this.model.id, kernel: this.index.kernelKind, vectors: this.index.size, error: this.error };
  }

  /** The chunks nearest the query; with `feedback` (the keyword side's best sources) the query vector
   * is seeded first, as the hybrid ranking does (search/hybrid.ts). */
  async search(query: string, k: number, filters: VectorFilters, feedback?: VectorFeedback): Promise<VectorHitMessage[]> {
    await this.ready;
    const embedded = await this.queries.get(query);
    if (filters.kind === 'search') return [];
    // The keyword side's seeds, as search/hybrid.ts seededQueryVector does, reading their vectors back when not held.
    const centroid = feedback && feedback.weight > 0 && feedback.seeds.length ? await this.index.sourcesCentroidAsync(feedback.seeds) : null;
    const vector = feedback ? blendQuery(embedded, centroid, feedback.weight) : embedded;
    return (await this.index.search(vector, k, filterOf(filters))).map((hit) => ({
      id: hit.id,
      sourceKind: hit.meta.sourceKind,
      sourceId: hit.meta.sourceId,
      score: hit.score,
      url: hit.meta.url,
      title: hit.meta.title,
      site: hit.meta.site,
      at: hit.meta.at,
    }));
  }

  /** Vectors of a few texts (as passages), for the citation verifier's meaning check; waits behind no
   * background batch longer than a query does. */
  async embedTexts(texts: readonly string[]): Promise<number[][]> {
    await this.ready;
    const vectors = await this.embed(texts, 'passage', 'urgent');
    return vectors.map((v) => Array.from(v));
  }

  /** Starts embedding a query the caller will search with soon (and caches it); with no query, warms the
   * model by embedding the noise floor's probes, which the first search needs anyway. Only the probes:
   * the floor itself is measured at search time, against the index as it is then. Never throws. */
  prepareQuery(query?: string): void {
    const text = query?.trim();
    void this.ready
      .then((): Promise<unknown> => (text ? this.queries.get(text) : this.probeVectors()))
      .catch(() => undefined);
  }

  /** Registers this document's message handlers (the caller installs the listener). */
  registerHandlers(): void {
    onMessage('ai.vectorSearch', async ({ query, k, filters, feedback }) => {
      const hits = await this.search(query, k, filters, feedback);
      // Without a floor the fusion keeps its default; the hits are still worth returning.
      const floor = await this.noiseFloor.get().catch(() => undefined);
      return { model: this.model.id, hits, ...(floor === undefined ? {} : { floor }) };
    });
    onMessage('ai.status', () => this.status());
    onMessage('ai.embedTexts', async ({ texts }) => ({ model: this.model.id, vectors: await this.embedTexts(texts) }));
    onMessage('ai.prepareQuery', ({ query }) => {
      this.prepareQuery(query);
      return { ok: true };
    });
    onMessage('ai.wake', () => {
      this.poke();
      return { ok: true };
    });
  }

  poke(): void {
    this.dirty = true;
    this.wake?.();
  }

  /** Drains the queue in small batches, yielding to idle time and to waiting queries, until stopped. */
  async runQueue(): Promise<void> {
    await this.ready;
    await this.queue.retryFailed();
    await this.queue.enqueueStale();
    // Any commit in any context (the background capturing a page) wakes the loop; polling backs it up.
    const subscription = liveQuery(() => this.db.changes.orderBy('seq').lastKey()).subscribe({ next: () => this.poke() });
    let failures = 0;
    try {
      while (!this.stopped) {
        let finished = 0;
        this.dirty = false;
        const started = Date.now();
        try {
          await this.queue.pullChanges();
          finished = await this.queue.runBatch(this.options.batchItems ?? 2);
          failures = 0;
        } catch (error) {
          failures++;
          console.warn('indexing batch failed', error);
          await sleep(Math.min(30_000, 500 * 2 ** failures));
          continue;
        }
        if (finished > 0) {
          // While the person uses the machine, background work takes a small share of one core, so the
          // pages they read (and their queries) keep it; when they're away, indexing catches up.
          const state = await (this.options.machineState?.() ?? Promise.resolve('active' as const)).catch(() => 'active' as const);
          // The rest is sized from CPU time, not wall time: with threads a batch used several cores at once.
          await sleep(restAfterBatch((Date.now() - started) * (this.embedder?.threads ?? this.threads), state, this.options.dutyCycle));
          await idle();
          continue;
        }
        if (this.dirty) continue;
        // Idle (no commit in flight): the moment a snapshot of the index agrees with the tables.
        await this.saved.saveIfDue(this.index).catch((error) => console.warn('vector index snapshot failed', error));
        if (this.dirty) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 10_000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    } finally {
      subscription.unsubscribe();
    }
  }

  stop(): void {
    this.stopped = true;
    this.poke();
  }
}
