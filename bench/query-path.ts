/**
 * A query from typed text at N chunks (default 100,000), as the side panel pays for it: the query's
 * embedding (the bundled model, through the offscreen service's cache) plus the hybrid search (keyword
 * list with feedback, seeded vector scan, fusion: search/hybrid.ts, the steps the side panel and the
 * offscreen document split between them). Runs in Node and, bundled by scripts/bench.mjs, in headless
 * Chromium (the real target: WASM embedder, WASM SIMD scan).
 *
 * Rows: `embed-query` (distinct queries, nothing cached), `hybrid` (search only, vector given),
 * `typed-query` (embed + search, nothing cached), `typed-query` cached (the same queries again: the
 * panel's repeats — debounce re-runs, filter changes, Ask after search). Corpus and queries are
 * latency.ts's synthetic ones, so the search half matches its `hybrid` rows.
 */
import { Bm25Index, RANKING_INDEX_OPTIONS } from '../extension/search/bm25-index';
import { VectorIndex } from '../extension/search/vector-index';
import { bestHitPerSource, hybridSearch, KEYWORD_FEEDBACK, keywordList, type KeywordList } from '../extension/search/hybrid';
import { seededRandom, unitVector } from '../extension/test-support/seeded-random';
import { BUNDLED_MODEL, prepareText, type EmbedderOptions } from '../extension/ai/embedder';
import { EmbedderWorkerClient, type WorkerLike } from '../extension/ai/embedder-worker-client';
import { ScheduledEmbedder, type TextEmbedder } from '../extension/ai/text-embedder';
import { QueryEmbeddingCache } from '../extension/ai/query-embedding-cache';
import { summarize, syntheticCorpus } from './latency';

export interface QueryPathOptions {
  chunks: number;
  queries: number;
  warmup: number;
  embedder: EmbedderOptions;
  /** The bundled model's weights: fp16 (what ships) or fp32. */
  dtype?: 'fp16' | 'fp32';
  log?: (s: string) => void;
  /** CPU seconds of the process doing the work (Node: this one; Chromium: the renderer, read over CDP by
   * the caller): each row also reports its mean CPU per query, which the neighbours on a shared box don't
   * inflate the way they inflate wall time. */
  cpuSeconds?: () => Promise<number> | number;
  /** Runs the embedder in a dedicated worker made by this (the product's embedder-worker.ts), as the
   * offscreen document does; without it, in this thread. */
  worker?: () => WorkerLike;
  /** Texts the `while indexing` rows keep embedding in the background (8 per call, as the queue does). */
  passages?: string[];
}

export async function runQueryPath(o: QueryPathOptions): Promise<Record<string, unknown>[]> {
  const log = o.log ?? (() => {});
  const dims = BUNDLED_MODEL.dims;
  const { texts, queries } = syntheticCorpus(o.chunks);
  const sourceOf = (i: number) => `s${Math.floor(i / 10)}`;
  const t0 = performance.now();
  const bm25 = new Bm25Index(RANKING_INDEX_OPTIONS);
  texts.forEach((text, i) => bm25.add(`page:${sourceOf(i)}#${i}`, { text }));
  const index = new VectorIndex({ dims, model: 'synthetic', kernel: 'wasm-simd' });
  for (let i = 0; i < o.chunks; i++) index.upsert({ id: `c${i}`, sourceKind: 'page', sourceId: sourceOf(i) }, unitVector(seededRandom(1_000_003 + i), dims));
  log(`query-path: ${o.chunks} chunks indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const loadOptions = { ...o.embedder, model: { ...BUNDLED_MODEL, dtype: o.dtype ?? BUNDLED_MODEL.dtype } };
  const embedder: TextEmbedder = o.worker ? await EmbedderWorkerClient.start(loadOptions, o.worker) : await ScheduledEmbedder.load(loadOptions);
  const model = embedder.model;
  const embedQuery = async (text: string) => (await embedder.embed([text], 'query', 'urgent'))[0]!;
  const cache = new QueryEmbeddingCache(embedQuery, 256, (text) => prepareText(text, model, 'query'));
  const keywordSources = (q: string): KeywordList => {
    const list = keywordList(bm25.searchWithFeedback(q, 1000, KEYWORD_FEEDBACK), (id) => id.replace(/#.*$/, ''));
    return { ...list, items: [...bestHitPerSource(list.items, (r) => r.id).values()].slice(0, 100) };
  };
  // The side panel's order: announce the query (the offscreen document starts embedding), rank keywords,
  // then search with the embedding.
  const typed = async (q: string) => {
    const embedding = cache.get(q);
    const keyword = keywordSources(q);
    return hybridSearch({ keyword, queryVector: await embedding, index, limit: 100 });
  };

  const qs = queries(o.queries + o.warmup);
  // Warm-up on other queries than the measured ones, so the measured ones are not in the cache.
  const warm = queries(o.warmup);
  for (const q of warm) await typed(`${q} warm`);
  const cpuMeans: number[] = [];
  const time = async (fn: (q: string) => Promise<unknown> | unknown, count = o.queries) => {
    const wall: number[] = [];
    const measured = qs.slice(o.warmup, o.warmup + count);
    const c0 = await o.cpuSeconds?.();
    for (const q of measured) {
      const s = performance.now();
      const r = await fn(q);
      // A row may end before its promise does (keyword-first: when the list could be shown).
      wall.push((typeof r === 'number' && r >= s ? r : performance.now()) - s);
    }
    const c1 = await o.cpuSeconds?.();
    cpuMeans.push(c0 !== undefined && c1 !== undefined ? Math.round(((c1 - c0) * 1000 / measured.length) * 100) / 100 : NaN);
    return { wall, cpu: [] as number[] };
  };
  const extra = {
    chunks: o.chunks,
    dims,
    model: model.id,
    dtype: model.dtype,
    runtime: typeof process !== 'undefined' && process.versions?.node ? `node ${process.versions.node}` : (globalThis.navigator?.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'browser'),
    ...(typeof process === 'undefined' ? { threads: o.embedder.numThreads ?? 1, cross_origin_isolated: globalThis.crossOriginIsolated === true } : {}),
    embedder_in: o.worker ? 'dedicated worker' : 'this thread',
    // The extension runs its embedder in the dedicated worker (extension/ai/embedder-worker.ts).
    shipped: o.worker !== undefined,
  };
  const vectors = new Map<string, Float32Array>();
  // While indexing: the queue's 8-chunk model calls back to back, as when the person types during a catch-up.
  const passages = (o.passages ?? texts.slice(0, 8)).slice(0, 8);
  let backgroundBatches = 0;
  const whileIndexing = async (fn: (q: string) => Promise<unknown>, count: number) => {
    let indexing = true;
    let batches = 0;
    const background = (async () => {
      while (indexing) {
        await embedder.embed(passages, 'passage', 'background');
        batches++;
      }
    })();
    // The first batch under way, so every query meets a busy model.
    await new Promise((r) => setTimeout(r, 50));
    const result = await time(fn, count);
    indexing = false;
    await background;
    log(`query-path: ${batches} background batches during the while-indexing row`);
    backgroundBatches = batches;
    return result;
  };
  const fresh = (tag: string) => (q: string) => `${q} ${tag}`;
  const lines = [
    summarize('embed-query', await time(async (q) => vectors.set(q, await embedQuery(q))), extra),
    summarize('hybrid', await time((q) => hybridSearch({ keyword: keywordSources(q), queryVector: vectors.get(q)!, index, limit: 100 })), { ...extra, kernel: 'wasm-simd' }),
    summarize('typed-query', await time(typed), { ...extra, cache: 'miss' }),
    summarize('typed-query', await time(typed), { ...extra, cache: 'hit' }),
    // The keyword half on screen: the side panel announces the query (embedding starts), then ranks the
    // keyword list and shows it; with the embedder in this thread the model's run holds the list up.
    summarize('keyword-first', await time(async (q) => {
      const text = fresh('kw')(q);
      const embedding = cache.get(text);
      keywordSources(text);
      const shown = performance.now();
      await embedding;
      return shown;
    }), { ...extra, cache: 'miss' }),
    // A new typed query while indexing runs (fewer runs: each may wait for a batch).
    summarize('typed-query', await whileIndexing((q) => typed(fresh('idx')(q)), Math.min(o.queries, 40)), { ...extra, cache: 'miss', while: 'indexing' }),
  ];
  Object.assign(lines[lines.length - 1]!, { background_batches: backgroundBatches, background_batch_texts: passages.length });
  await embedder.dispose();
  return lines.map((line, i) => (Number.isNaN(cpuMeans[i]) ? line : { ...line, cpu_mean_ms: cpuMeans[i] }));
}
