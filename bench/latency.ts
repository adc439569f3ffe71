/**
 * Query latency at N chunks (default 100,000): keyword (the BM25F ranking index over the stemming
 * analyser), typeahead (the side panel's instant list: the same index, last word by prefix or typo),
 * vector (WASM SIMD kernel and the JS fallback) and hybrid (both + fusion); and each index's build time
 * and (in Node) the memory it holds.
 *
 * Data is synthetic and seeded: vectors are random unit vectors; text is ~64-word chunks drawn from a
 * Zipf-distributed vocabulary of pronounceable pseudo-words (so posting lists have realistic skew);
 * queries are 2–6 words, mixing frequent and rare terms. The query embedding is an input here (its
 * cost is the embedder's, measured separately), so hybrid = keyword + keyword-seeded vector scan + fusion.
 * Timings are after a warm-up; p50/p95 over `queries` runs.
 */
import { Bm25Index, INSTANT_LIMIT, RANKING_INDEX_OPTIONS } from '../extension/search/bm25-index';
import { DEFAULT_CANDIDATES, EXACT_UP_TO, HOLD_INT8_UP_TO, SOURCE_CANDIDATES, VectorIndex, type Int8Source } from '../extension/search/vector-index';
import { quantizeInt8 } from '../extension/search/quantize';
import { bestHitPerSource, hybridSearch, KEYWORD_DEPTH, KEYWORD_FEEDBACK, keywordList, sourceRanking, type KeywordList } from '../extension/search/hybrid';
import { flexSearchPeer, miniSearchPeer, oramaPeer } from './peers';
import { seededRandom, unitVector } from '../extension/test-support/seeded-random';

export interface LatencyOptions {
  chunks: number;
  queries: number;
  warmup: number;
  dims: number;
  log?: (s: string) => void;
  /** Also measure the peers (MiniSearch, FlexSearch, Orama) on the same chunks and queries. */
  peers?: boolean;
  /** Orama's vector and hybrid search only up to this many chunks. Default 10,000. */
  peerVectorChunks?: number;
  /** Only the vector side (no ranking index, keyword, typeahead or hybrid): the 1M vector run. */
  vectorsOnly?: boolean;
  /** Only the keyword side (ranking index, keyword, typeahead; no vectors, so no hybrid): the 1M
   * keyword run, minutes instead of the full run's quarter of an hour. Same corpus and queries. */
  keywordOnly?: boolean;
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
  const queryOf = (words: number) => Array.from({ length: words }, () => (rand() < 0.5 ? contentWord() : vocab[content + Math.floor(rand() * 20_000)]!)).join(' ');
  const queries = (count: number) => Array.from({ length: count }, () => queryOf(2 + Math.floor(rand() * 5)));
  /** Pasted-sentence queries: 15–20 words, function words included as in a real sentence. */
  const longQueries = (count: number) => Array.from({ length: count }, () => Array.from({ length: 15 + Math.floor(rand() * 6) }, () => (rand() < 0.3 ? word() : rand() < 0.5 ? contentWord() : vocab[content + Math.floor(rand() * 20_000)]!)).join(' '));
  return { texts, queries, longQueries, rand };
}

/** Heap + external memory after a full collection (Node with gc exposed, see scripts/bench.mjs); else undefined. */
function memoryNow(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || typeof process === 'undefined' || !process.memoryUsage) return undefined;
  // Three collections, as keyword-load.ts does: ArrayBuffers a build dropped (grown buffers, the
  // lists packed into one) are swept concurrently, and after one collection many still count.
  gc();
  gc();
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
  const { texts, queries, longQueries, rand } = syntheticCorpus(o.chunks);
  // 10 chunks per source, like a page of ~600 words.
  const sourceOf = (i: number) => `s${Math.floor(i / 10)}`;
  // Each chunk's vector from its own seed, made when needed: at 1M chunks an array of them would hold
  // 2 GiB of float32 beside the indexes being measured.
  const vectorOf = (i: number) => unitVector(seededRandom(1_000_003 + i), o.dims);
  // Chunk ids as the indexing queue names them (`kind:source#ordinal`), which the index keeps as numbers.
  const meta = (i: number) => ({ id: `page:${sourceOf(i)}#${i % 10}`, sourceKind: 'page', sourceId: sourceOf(i) });
  const bm25 = built('ranking (BM25F)', o.vectorsOnly ? 0 : o.chunks, () => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    if (!o.vectorsOnly) {
      texts.forEach((text, i) => index.add(`page:${sourceOf(i)}#${i}`, { text }));
      // As KeywordIndex.rebuild does after a bulk build: the lists into one buffer of their exact size.
      index.pack();
    }
    return index;
  }, log);
  // The int8 rows the rescore reads: in the extension the chunks table in IndexedDB; here a flat array
  // standing in for it (read synchronously, no IndexedDB cost), filled before the index is measured so
  // its bytes are not counted as the index's (the index holds int8 itself only up to HOLD_INT8_UP_TO).
  const vectorChunks = o.keywordOnly ? 0 : o.chunks;
  const int8Rows = new Int8Array(vectorChunks * o.dims);
  const int8Scales = new Float32Array(vectorChunks);
  for (let i = 0; i < vectorChunks; i++) int8Scales[i] = quantizeInt8(vectorOf(i), int8Rows.subarray(i * o.dims, (i + 1) * o.dims)).scale;
  const rowOfId = (id: string) => {
    const [, source, ordinal] = /^page:s(\d+)#(\d+)$/.exec(id)!;
    return Number(source) * 10 + Number(ordinal);
  };
  const int8Source: Int8Source = (ids) => ids.map((id) => {
    const i = rowOfId(id);
    return { vector: int8Rows.subarray(i * o.dims, (i + 1) * o.dims), scale: int8Scales[i]! };
  });
  const storedRow = (i: number) => ({ ...meta(i), model: 'synthetic', scale: int8Scales[i]!, vector: int8Rows.subarray(i * o.dims, (i + 1) * o.dims) });
  const wasm = built('vector (binary codes + int8 rescore, wasm-simd)', o.chunks, () => {
    const index = new VectorIndex({ dims: o.dims, model: 'synthetic', kernel: 'wasm-simd', int8Source });
    for (let i = 0; i < vectorChunks; i++) index.addRow(storedRow(i));
    return index;
  }, log);
  // Before: every row's int8 vector scanned (exact), held in memory.
  const int8 = built('vector (int8, wasm-simd)', o.chunks, () => {
    const index = new VectorIndex({ dims: o.dims, model: 'synthetic', kernel: 'wasm-simd', scan: 'int8' });
    for (let i = 0; i < vectorChunks; i++) index.addRow(storedRow(i));
    return index;
  }, log);
  // The JS kernel (the fallback without WASM SIMD) is compared up to 100k; past that it only costs time.
  const withJs = !o.keywordOnly && o.chunks <= 100_000;
  const js = new VectorIndex({ dims: o.dims, model: 'synthetic', kernel: 'js', int8Source });
  if (withJs) for (let i = 0; i < o.chunks; i++) js.addRow(storedRow(i));
  const indexes = { 'wasm-simd': wasm.value, js, int8: int8.value };
  const qs = queries(o.queries + o.warmup);
  const qv = qs.map(() => unitVector(rand, o.dims));
  const longQs = longQueries(o.queries + o.warmup);
  // Keystrokes: each query cut inside its last word, as it is while being typed.
  const typed = qs.map((q) => {
    const cut = q.lastIndexOf(' ') + 1;
    return q.slice(0, cut + 1 + Math.floor(rand() * Math.max(1, q.length - cut - 1)));
  });

  // The ranking index holds chunks here; the hybrid ranks sources, as the side panel does.
  // With pseudo-relevance feedback, as the product's keyword list is made (KeywordIndex.rank).
  const keywordSources = (q: string): KeywordList => {
    // As deep as the side panel asks (KEYWORD_DEPTH items; here chunks, ~10 per source, so still ~490
    // sources for the 100 fused).
    const list = keywordList(bm25.value.searchWithFeedback(q, KEYWORD_DEPTH, KEYWORD_FEEDBACK), (id) => id.replace(/#.*$/, ''));
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
  const timeAsync = async (fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < o.warmup; i++) await fn(i);
    const wall: number[] = [];
    for (let i = o.warmup; i < qs.length; i++) {
      const s = performance.now();
      await fn(i);
      wall.push(performance.now() - s);
    }
    return { wall, cpu: [] as number[] };
  };
  if (o.keywordOnly) {
    const kwExtra = { chunks: o.chunks, dims: o.dims, runtime: typeof process !== 'undefined' && process.versions?.node ? `node ${process.versions.node}` : 'browser' };
    return [
      { ...bm25.line, runtime: kwExtra.runtime },
      summarize('keyword', time((i) => keywordSources(qs[i]!)), kwExtra),
      summarize('typeahead', time((i) => bm25.value.typeahead(qs[i]!, INSTANT_LIMIT)), kwExtra),
      summarize('typeahead', time((i) => bm25.value.typeahead(typed[i]!, INSTANT_LIMIT)), { ...kwExtra, queries: 'typed' }),
      summarize('keyword', time((i) => keywordSources(longQs[i]!)), { ...kwExtra, queries: 'long' }),
    ];
  }
  const extra = { chunks: o.chunks, dims: o.dims, runtime: typeof process !== 'undefined' && process.versions?.node ? `node ${process.versions.node}` : (globalThis.navigator?.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'browser') };
  // Up to EXACT_UP_TO rows the product's index scans its held int8 rows (exact); past it, codes + rescore.
  const binaryExtra = { ...extra, kernel: 'wasm-simd', scan: 'binary', path: o.chunks <= EXACT_UP_TO ? 'int8 exact (held, small)' : o.chunks <= HOLD_INT8_UP_TO ? 'codes + rescore from held int8' : 'codes + rescore from the int8 stand-in', candidates: o.chunks <= HOLD_INT8_UP_TO ? DEFAULT_CANDIDATES : SOURCE_CANDIDATES };
  const memoryLine = (index: VectorIndex) => ({ bench: 'vector-state', chunks: o.chunks, scan: index.scanKind, vector_mib: Math.round((index.vectorBytes / 2 ** 20) * 10) / 10, holds_int8: index.holdsInt8, runtime: extra.runtime });
  const lines: Record<string, unknown>[] = [
    ...(o.vectorsOnly ? [] : [{ ...bm25.line, runtime: extra.runtime }]),
    { ...wasm.line, runtime: extra.runtime },
    { ...int8.line, runtime: extra.runtime },
    memoryLine(wasm.value),
    memoryLine(int8.value),
    ...(o.vectorsOnly ? [] : [
      summarize('keyword', time((i) => keywordSources(qs[i]!)), extra),
      summarize('typeahead', time((i) => bm25.value.typeahead(qs[i]!, INSTANT_LIMIT)), extra),
    ]),
    summarize('vector', time((i) => vector('wasm-simd', qv[i]!)), binaryExtra),
    summarize('vector', time((i) => vector('int8', qv[i]!)), { ...extra, kernel: 'wasm-simd', scan: 'int8' }),
    // The two passes apart: the code scan for the candidates, and the rescore of those candidates with
    // int8 rows from the stand-in (what IndexedDB adds in the browser is measured apart).
    summarize('vector code scan', time((i) => wasm.value.firstPassRows(qv[i]!, binaryExtra.candidates)), { ...binaryExtra, path: 'code scan alone' }),
    ...(withJs ? [summarize('vector', time((i) => vector('js', qv[i]!)), { ...extra, kernel: 'js', scan: 'binary' })] : []),
    ...(o.vectorsOnly ? [] : [
      summarize('hybrid', time((i) => hybridSearch({ keyword: keywordSources(qs[i]!), queryVector: qv[i]!, index: indexes['wasm-simd'], limit: 100 })), binaryExtra),
      summarize('typeahead', time((i) => bm25.value.typeahead(typed[i]!, INSTANT_LIMIT)), { ...extra, queries: 'typed' }),
      summarize('keyword', time((i) => keywordSources(longQs[i]!)), { ...extra, queries: 'long' }),
      summarize('hybrid', time((i) => hybridSearch({ keyword: keywordSources(longQs[i]!), queryVector: qv[i]!, index: indexes['wasm-simd'], limit: 100 })), { ...binaryExtra, queries: 'long' }),
    ]),
  ];
  // The kernels' read rates (bytes scanned per second) beside what this machine copies per second.
  const rate = (fn: (i: number) => unknown, bytesPerRow: number) => {
    const t = time(fn);
    const p50 = [...t.wall].sort((a, b) => a - b)[Math.floor(t.wall.length / 2)]!;
    return Math.round(((o.chunks * bytesPerRow) / (p50 / 1000) / 1e9) * 100) / 100;
  };
  lines.push({ bench: 'bandwidth', what: 'vector kernel scan (wasm-simd, int8)', chunks: o.chunks, gb_per_s: rate((i) => indexes.int8.topK(qv[i]!, 100), o.dims), runtime: extra.runtime });
  // 64 code bytes + a 4-byte factor a 512-d row.
  lines.push({ bench: 'bandwidth', what: 'vector kernel scan (wasm-simd, binary codes)', chunks: o.chunks, gb_per_s: rate((i) => wasm.value.firstPassRows(qv[i]!, DEFAULT_CANDIDATES), Math.ceil(o.dims / 128) * 16 + 4), runtime: extra.runtime });
  lines.push({ bench: 'bandwidth', what: 'memory copy reference (TypedArray.set, read+write)', gb_per_s: memcpyGbPerS(), runtime: extra.runtime });
  if (o.peers) lines.push(...(await peerLines(o, texts, qs, qv, vectorOf, extra, log, time, timeAsync)));
  return lines;
}

/** Best of five copies of 128 MiB: bytes read + bytes written per second. */
export function memcpyGbPerS(): number {
  const n = 128 * 2 ** 20;
  const src = new Uint8Array(n).fill(1);
  const dst = new Uint8Array(n);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    dst.set(src);
    best = Math.min(best, performance.now() - t0);
  }
  return Math.round(((2 * n) / (best / 1000) / 1e9) * 100) / 100;
}

type Timer = (fn: (i: number) => unknown) => { wall: number[]; cpu: number[] };
type AsyncTimer = (fn: (i: number) => Promise<unknown>) => Promise<{ wall: number[]; cpu: number[] }>;

/** The peers on the same chunks and queries: build time, memory, and keyword (any-term) latency;
 * Orama's vector and hybrid search too up to `peerVectorChunks` (its vectors are plain JS arrays). */
async function peerLines(o: LatencyOptions, texts: string[], qs: string[], qv: Float32Array[], vectorOf: (i: number) => Float32Array, extra: Record<string, unknown>, log: (s: string) => void, time: Timer, timeAsync: AsyncTimer) {
  const docs = texts.map((text, i) => ({ id: `c${i}`, title: '', text }));
  const out: Record<string, unknown>[] = [];
  const mini = built('minisearch', o.chunks, () => miniSearchPeer(docs), log);
  out.push({ ...mini.line, runtime: extra.runtime }, summarize('minisearch', time((i) => mini.value.search(qs[i]!, 100)), extra));
  const flex = built('flexsearch', o.chunks, () => flexSearchPeer(docs), log);
  out.push({ ...flex.line, runtime: extra.runtime }, summarize('flexsearch', time((i) => flex.value.search(qs[i]!, 100)), extra));
  const withVectors = o.chunks <= (o.peerVectorChunks ?? 10_000);
  const m0 = memoryNow();
  const t0 = performance.now();
  const orama = await oramaPeer(docs, withVectors ? { dims: o.dims, of: vectorOf } : undefined);
  const buildMs = performance.now() - t0;
  const m1 = memoryNow();
  log(`orama of ${o.chunks} chunks built in ${(buildMs / 1000).toFixed(1)} s`);
  out.push({ bench: 'index', index: withVectors ? 'orama (text + vectors)' : 'orama (text)', chunks: o.chunks, build_ms: Math.round(buildMs), ...(m0 !== undefined && m1 !== undefined ? { mib: Math.round((m1 - m0) / 2 ** 20) } : {}), runtime: extra.runtime });
  out.push(summarize('orama', await timeAsync(async (i) => orama.keyword.search(qs[i]!, 100)), extra));
  if (orama.vector) out.push(summarize('orama-vector', await timeAsync((i) => orama.vector!(qv[i]!, 100)), extra));
  if (orama.hybrid) out.push(summarize('orama-hybrid', await timeAsync((i) => orama.hybrid!(qs[i]!, qv[i]!, 100)), extra));
  return out;
}
