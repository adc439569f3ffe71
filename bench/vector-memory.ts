/**
 * Memory the product's vector index holds at N chunks (default 1M), with chunks shaped as the offscreen
 * document loads them: ids as the indexing queue names them (`page:<url>#<n>`), and each row's meta
 * (source kind and id, url, site, title, date) as fresh strings per row, as IndexedDB's structured clone
 * hands them. Ten chunks a page. Codes only, no int8 held (the int8 rows live in IndexedDB past
 * HOLD_INT8_UP_TO). The latency bench's chunks carry no url or title, so this is the product-shaped
 * figure beside it. Node with gc exposed (scripts/bench.mjs).
 */
import { VectorIndex } from '../extension/search/vector-index';
import { quantizeInt8 } from '../extension/search/quantize';
import { seededRandom, unitVector } from '../extension/test-support/seeded-random';

function memoryNow(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the vector-memory bench needs gc exposed (run it through scripts/bench.mjs)');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

export function vectorMemory(chunks: number, dims = 512): Record<string, unknown> {
  const rand = seededRandom(5);
  // One vector for every row: the codes' bytes do not depend on their values, and coding a million
  // distinct vectors would take minutes without changing what is measured.
  const { q, scale } = quantizeInt8(unitVector(rand, dims));
  const before = memoryNow();
  const t0 = performance.now();
  const index = new VectorIndex({ dims, model: 'm', kernel: 'wasm-simd', int8Source: () => [], holdInt8UpTo: 0 });
  for (let i = 0; i < chunks; i++) {
    const page = Math.floor(i / 10);
    const url = `https://www.example-site-${page % 997}.org/articles/${page}/an-article-slug-about-things`;
    const row = JSON.parse(JSON.stringify({ id: `page:${url}#${i % 10}`, sourceKind: 'page', sourceId: url, url, site: `example-site-${page % 997}.org`, title: `An article about things, number ${page}`, at: 1_700_000_000_000 + page }));
    index.addRow({ ...row, model: 'm', scale, vector: q });
  }
  const buildMs = performance.now() - t0;
  const bytes = memoryNow() - before;
  return {
    bench: 'vector-memory',
    chunks,
    mib: Math.round((bytes / 2 ** 20) * 10) / 10,
    vector_mib: Math.round((index.vectorBytes / 2 ** 20) * 10) / 10,
    bytes_per_chunk: Math.round(bytes / chunks),
    build_ms: Math.round(buildMs),
    runtime: `node ${process.versions.node}`,
  };
}
