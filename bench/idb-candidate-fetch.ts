/**
 * What the rescore's read costs in the browser: `candidates` random chunk rows (id, metadata, text and
 * a 512-byte int8 vector, the chunks table's shape) fetched by id with one Dexie bulkGet from an
 * IndexedDB table of `rows` rows, in headless Chromium, as the offscreen document does for a search
 * past HOLD_INT8_UP_TO rows. Bundled with esbuild and run in a page served from localhost (IndexedDB
 * needs an origin).
 */
import Dexie from 'dexie';

declare global {
  interface Window {
    idbCandidateFetch(o: { rows: number; candidates: number; runs: number; dims: number }): Promise<{ p50_ms: number; p95_ms: number; fill_ms: number }>;
  }
}

window.idbCandidateFetch = async ({ rows, candidates, runs, dims }) => {
  await Dexie.delete('bench-idb');
  const db = new Dexie('bench-idb');
  db.version(1).stores({ chunks: 'id, [sourceKind+sourceId], model' });
  const table = db.table('chunks');
  const t0 = performance.now();
  const text = 'lorem ipsum dolor sit amet '.repeat(14);
  for (let start = 0; start < rows; start += 5000) {
    const batch = [];
    for (let i = start; i < Math.min(rows, start + 5000); i++) {
      const vector = new Int8Array(dims);
      for (let j = 0; j < dims; j++) vector[j] = ((i * 31 + j * 17) % 255) - 127;
      batch.push({ id: `page:s${Math.floor(i / 10)}#${i % 10}`, sourceKind: 'page', sourceId: `s${Math.floor(i / 10)}`, ordinal: i % 10, model: 'use-lite', url: `https://example.com/${i}`, site: 'example.com', title: `Page ${i}`, at: i, text, scale: 0.01, vector });
    }
    await table.bulkPut(batch);
  }
  const fill = performance.now() - t0;
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const ids = Array.from({ length: candidates }, () => {
      const i = Math.floor(rand() * rows);
      return `page:s${Math.floor(i / 10)}#${i % 10}`;
    });
    const s = performance.now();
    const got = await table.bulkGet(ids);
    times.push(performance.now() - s);
    if (got.some((g) => !g)) throw new Error('a candidate row is missing');
  }
  db.close();
  times.sort((a, b) => a - b);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return { p50_ms: r2(times[Math.floor(times.length / 2)]!), p95_ms: r2(times[Math.ceil(times.length * 0.95) - 1]!), fill_ms: Math.round(fill) };
};
