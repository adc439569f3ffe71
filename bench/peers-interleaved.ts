/**
 * Our search against the peers with the queries interleaved: for each query, every engine answers it
 * once, in an order that rotates from query to query, so a burst of load on this shared machine lands on
 * all engines alike instead of on whichever happened to be timed then (bench/latency.ts times one engine
 * after the other). Same synthetic corpus, queries and query vectors as the latency bench.
 *
 * Engines: ours — `keyword` (the ranking index with feedback, as the side panel ranks), `vector` (the
 * product's vector index) and `hybrid` (keyword + vector + fusion) — and MiniSearch, FlexSearch and Orama (full text;
 * Orama's vector and hybrid search only up to `peerVectorChunks`: it keeps vectors as JS arrays and
 * scans them all per query). Each line: wall p50/p95 and this process's CPU p95 per engine.
 */
import { Bm25Index, RANKING_INDEX_OPTIONS } from '../extension/search/bm25-index';
import { bestHitPerSource, hybridSearch, KEYWORD_DEPTH, KEYWORD_FEEDBACK, keywordList, sourceRanking, type KeywordList } from '../extension/search/hybrid';
import { quantizeInt8 } from '../extension/search/quantize';
import { VectorIndex, type Int8Source } from '../extension/search/vector-index';
import { seededRandom, unitVector } from '../extension/test-support/seeded-random';
import { summarize, syntheticCorpus } from './latency';
import { flexSearchPeer, miniSearchPeer, oramaPeer } from './peers';

export interface InterleavedOptions {
  chunks: number;
  queries: number;
  warmup: number;
  dims?: number;
  /** Orama's vector and hybrid search only up to this many chunks (default 10,000). */
  peerVectorChunks?: number;
  log?: (s: string) => void;
}

type Engine = { name: string; run: (i: number) => unknown };

const cpuMs = () => process.cpuUsage().user / 1000;

export async function runInterleaved(o: InterleavedOptions): Promise<Record<string, unknown>[]> {
  const log = o.log ?? (() => {});
  const dims = o.dims ?? 512;
  const { texts, queries, rand } = syntheticCorpus(o.chunks);
  const sourceOf = (i: number) => `s${Math.floor(i / 10)}`;
  const vectorOf = (i: number) => unitVector(seededRandom(1_000_003 + i), dims);

  const t0 = performance.now();
  const bm25 = new Bm25Index(RANKING_INDEX_OPTIONS);
  texts.forEach((text, i) => bm25.add(`page:${sourceOf(i)}#${i}`, { text }));
  bm25.pack();
  // The int8 rows the rescore reads (IndexedDB in the extension): a flat in-memory stand-in, as in latency.ts.
  const rows = new Int8Array(o.chunks * dims);
  const scales = new Float32Array(o.chunks);
  for (let i = 0; i < o.chunks; i++) scales[i] = quantizeInt8(vectorOf(i), rows.subarray(i * dims, (i + 1) * dims)).scale;
  const int8Source: Int8Source = (ids) => ids.map((id) => {
    const i = Number(id.slice(1));
    return { vector: rows.subarray(i * dims, (i + 1) * dims), scale: scales[i]! };
  });
  const vectors = new VectorIndex({ dims, model: 'synthetic', kernel: 'wasm-simd', int8Source });
  for (let i = 0; i < o.chunks; i++) vectors.addRow({ id: `c${i}`, sourceKind: 'page', sourceId: sourceOf(i), model: 'synthetic', scale: scales[i]!, vector: rows.subarray(i * dims, (i + 1) * dims) });
  log(`ours built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const docs = texts.map((text, i) => ({ id: `c${i}`, title: '', text }));
  const t1 = performance.now();
  const mini = miniSearchPeer(docs);
  const flex = flexSearchPeer(docs);
  const withVectors = o.chunks <= (o.peerVectorChunks ?? 10_000);
  const orama = await oramaPeer(docs, withVectors ? { dims, of: vectorOf } : undefined);
  log(`peers built in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  const total = o.queries + o.warmup;
  const qs = queries(total);
  const qv = qs.map(() => unitVector(rand, dims));
  const keyword = (q: string): KeywordList => {
    const list = keywordList(bm25.searchWithFeedback(q, KEYWORD_DEPTH, KEYWORD_FEEDBACK), (id) => id.replace(/#.*$/, ''));
    return { ...list, items: [...bestHitPerSource(list.items, (r) => r.id).values()].slice(0, 100) };
  };
  const engines: Engine[] = [
    { name: 'keyword', run: (i) => keyword(qs[i]!) },
    { name: 'vector', run: (i) => sourceRanking(vectors.topK(qv[i]!, 300)).slice(0, 100) },
    { name: 'hybrid', run: (i) => hybridSearch({ keyword: keyword(qs[i]!), queryVector: qv[i]!, index: vectors, limit: 100 }) },
    { name: 'minisearch', run: (i) => mini.search(qs[i]!, 100) },
    { name: 'flexsearch', run: (i) => flex.search(qs[i]!, 100) },
    { name: 'orama', run: (i) => orama.keyword.search(qs[i]!, 100) },
    ...(orama.vector ? [{ name: 'orama-vector', run: (i: number) => orama.vector!(qv[i]!, 100) }] : []),
    ...(orama.hybrid ? [{ name: 'orama-hybrid', run: (i: number) => orama.hybrid!(qs[i]!, qv[i]!, 100) }] : []),
  ];
  const times = engines.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < total; i++) {
    for (let k = 0; k < engines.length; k++) {
      const e = (i + k) % engines.length;
      const c0 = cpuMs();
      const s = performance.now();
      await engines[e]!.run(i);
      const wall = performance.now() - s;
      const cpu = cpuMs() - c0;
      if (i >= o.warmup) {
        times[e]!.wall.push(wall);
        times[e]!.cpu.push(cpu);
      }
    }
  }
  const vectorPath = vectors.holdsInt8 ? 'held int8' : 'int8 stand-in';
  const extra = { chunks: o.chunks, dims, runtime: `node ${process.versions.node}`, order: 'interleaved' };
  return engines.map((e, k) => ({ ...summarize(e.name, times[k]!, e.name === 'hybrid' || e.name === 'vector' ? { ...extra, kernel: 'wasm-simd', scan: vectors.scanKind, rescore: vectorPath } : extra), bench: 'peers' }));
}
