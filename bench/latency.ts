/**
 * Query latency at N chunks (default 100,000): keyword (the BM25F ranking index over the stemming
 * analyser), instant (the side panel's type-ahead list, MiniSearch with prefix and fuzzy matching),
 * vector (WASM SIMD kernel and the JS fallback) and hybrid (both + fusion); and each index's build time
 * and (in Node) the memory it holds.
 *
 * Data is synthetic and seeded: vectors are random unit vectors; text is ~64-word chunks drawn from a
 * Zipf-distributed vocabulary of pronounceable pseudo-words (so posting lists have realistic skew);
 * queries are 2–6 words, mixing frequent and rare terms. The query embedding is an input here (its
 * cost is the embedder's, measured separately), so hybrid = keyword + keyword-seeded vector scan + fusion.
 * Timings are after a warm-up; p50/p95 over `queries` runs.
 */
import { Bm25Index, RANKING_INDEX_OPTIONS } from '../extension/search/bm25-index';
import { VectorIndex } from '../extension/search/vector-index';
import { bestHitPerSource, hybridSearch, keywordList, sourceRanking, type KeywordList } from '../extension/search/hybrid';
import MiniSearch from 'minisearch';
import { INSTANT_INDEX_OPTIONS, instantSearch } from '../extension/search/instant-search';
import type { KeywordDocument } from '../extension/search/keyword-document';
import { seededRandom } from '../extension/test-support/seeded-random';

export interface LatencyOptions {
  chunks: number;
  queries: number;
  warmup: number;
  dims: number;
  log?: (s: string) => void;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(name: string, times: { wall: number[]; cpu: number[] }, extra: Record<string, unknown>) {
  const s = [...times.wall].sort((a, b) => a - b);
  const c = [...times.cpu].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { bench: 'latency', ranker: name, ...extra, 'p50_ms': r(percentile(s, 50)), 'p95_ms': r(percentile(s, 95)), 'max_ms': r(s[s.length - 1]!), ...(c.length ? { 'cpu_p95_ms': r(percentile(c, 95)) } : {}), runs: s.length };
}

// CPU time of this thread (Node only): on a loaded machine wall time measures the neighbours too.
const cpuNow = (): number | undefined => (typeof process !== 'undefined' && process.cpuUsage ? process.cpuUsage().user / 1000 : undefined);

const STOP = 'the of and to a in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no will more can who its out into them only than other some time could these two may then do first any my now such like our over me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three';

export function syntheticCorpus(n: number, seed = 7) {
  const rand = seededRandom(seed);
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'an', 'el', 'or', 'ub', 'ish', 'ent', 'ast', 'ow', 'er', 'ing'];
  // The most frequent ranks are English function words (dropped by the analyser, as in real text);
  // the rest are pseudo-words, so queries of content words hit posting lists of realistic skew.
  const vocab: string[] = STOP.split(' ');
  const content = vocab.length;
  const seen = new Set<string>(vocab);
  while (vocab.length < 30_000) {
    let w = '';
    const len = 2 + Math.floor(rand() * 3);
    for (let i = 0; i < len; i++) w += syll[Math.floor(rand() * syll.length)];
    if (!seen.has(w)) { seen.add(w); vocab.push(w); }
  }
  // Zipf(1.0) by inverse CDF over ranks.
  const cdf = new Float64Array(vocab.length);
  let acc = 0;
  for (let i = 0; i < vocab.length; i++) cdf[i] = acc += 1 / (i + 1);
  const word = () => {
    const x = rand() * acc;
    let lo = 0, hi = cdf.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid]! < x) lo = mid + 1; else hi = mid; }
    return vocab[lo]!;
  };
  const texts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const words = new Array(48 + Math.floor(rand() * 32));
    for (let j = 0; j < words.length; j++) words[j] = word();
    texts[i] = words.join(' ');
  }
  const contentWord = () => {
    for (;;) {
      const w = word();
      if (vocab.indexOf(w) >= content) return w;
    }
  };
  const queries = (count: number) => Array.from({ length: count }, () => Array.from({ length: 2 + Math.floor(rand() * 5) }, () => (rand() < 0.5 ? contentWord() : vocab[content + Math.floor(rand() * 20_000)]!)).join(' '));
  return { texts, queries, rand };
}

function unitVector(rand: () => number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) { v[i] = rand() - 0.5; n += v[i]! * v[i]!; }
  n = Math.sqrt(n);
  for (let i = 0; i < dims; i++) v[i]! /= n;
  return v;
}

/** Heap + external memory after a full collection (Node with gc exposed, see scripts/bench.mjs); else undefined. */
function memoryNow(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || typeof process === 'undefined' || !process.memoryUsage) return undefined;
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Builds something and reports how long it took and (in Node) how much memory it holds. */
function built<T>(what: string, chunks: number, build: () => T, log: (s: string) => void): { value: T; line: Record<string, unknown> } {
  const m0 = memoryNow();
  const t0 = performance.now();
  const value = build();
  const ms = performance.now() - t0;
  const m1 = memoryNow();
  log(`${what} of ${chunks} chunks built in ${(ms / 1000).toFixed(1)} s`);
  const bytes = m0 !== undefined && m1 !== undefined ? m1 - m0 : undefined;
  return {
    value,
    line: { bench: 'index', index: what, chunks, build_ms: Math.round(ms), ...(bytes !== undefined ? { mib: Math.round(bytes / 2 ** 20), bytes_per_chunk: Math.round(bytes / chunks) } : {}) },
  };
}

export async function runLatency(o: LatencyOptions): Promise<Record<string, unknown>[]> {
  const log = o.log ?? (() => {});
  const { texts, queries, rand } = syntheticCorpus(o.chunks);
  // 10 chunks per source, like a page of ~600 words.
  const sourceOf = (i: number) => `s${Math.floor(i / 10)}`;
  const vectors = Array.from({ length: o.chunks }, () => unitVector(rand, o.dims));
  const meta = (i: number) => ({ id: `c${i}`, sourceKind: 'page', sourceId: sourceOf(i) });
  const bm25 = built('ranking (BM25F)', o.chunks, () => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    texts.forEach((text, i) => index.add(`page:${sourceOf(i)}#${i}`, { text }));
    return index;
  }, log);
  const instant = built('instant (MiniSearch)', o.chunks, () => {
    const ms = new MiniSearch<KeywordDocument>(INSTANT_INDEX_OPTIONS);
    ms.addAll(texts.map((text, i) => ({ id: `page:${sourceOf(i)}#${i}`, kind: 'page', key: sourceOf(i), title: '', text, url: '', site: '', date: i })));
    return ms;
  }, log);
  const wasm = built('vector (int8, wasm-simd)', o.chunks, () => {
    const index = new VectorIndex({ dims: o.dims, model: 'synthetic', kernel: 'wasm-simd' });
    vectors.forEach((v, i) => index.upsert(meta(i), v));
    return index;
  }, log);
  const js = new VectorIndex({ dims: o.dims, model: 'synthetic', kernel: 'js' });
  vectors.forEach((v, i) => js.upsert(meta(i), v));
  const indexes = { 'wasm-simd': wasm.value, js };
  const qs = queries(o.queries + o.warmup);
  const qv = qs.map(() => unitVector(rand, o.dims));

  // The ranking index holds chunks here; the hybrid ranks sources, as the side panel does.
  const keywordSources = (q: string): KeywordList => {
    const list = keywordList(bm25.value.search(q, 1000), (id) => id.replace(/#.*$/, ''));
    return { ...list, items: [...bestHitPerSource(list.items, (r) => r.id).values()].slice(0, 100) };
  };
  const vector = (kind: keyof typeof indexes, v: Float32Array) => sourceRanking(indexes[kind].topK(v, 300)).slice(0, 100);

  const time = (fn: (i: number) => unknown) => {
    for (let i = 0; i < o.warmup; i++) fn(i);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = o.warmup; i < qs.length; i++) {
      const c0 = cpuNow();
      const s = performance.now();
      fn(i);
      wall.push(performance.now() - s);
      const c1 = cpuNow();
      if (c0 !== undefined && c1 !== undefined) cpu.push(c1 - c0);
    }
    return { wall, cpu };
  };
  const extra = { chunks: o.chunks, dims: o.dims, runtime: typeof process !== 'undefined' && process.versions?.node ? `node ${process.versions.node}` : (globalThis.navigator?.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'browser') };
  return [
    { ...bm25.line, runtime: extra.runtime },
    { ...instant.line, runtime: extra.runtime },
    { ...wasm.line, runtime: extra.runtime },
    summarize('keyword', time((i) => keywordSources(qs[i]!)), extra),
    summarize('instant', time((i) => instantSearch(instant.value, qs[i]!)), extra),
    summarize('vector', time((i) => vector('wasm-simd', qv[i]!)), { ...extra, kernel: 'wasm-simd' }),
    summarize('vector', time((i) => vector('js', qv[i]!)), { ...extra, kernel: 'js' }),
    summarize('hybrid', time((i) => hybridSearch({ keyword: keywordSources(qs[i]!), queryVector: qv[i]!, index: indexes['wasm-simd'], limit: 100 })), { ...extra, kernel: 'wasm-simd' }),
  ];
}
