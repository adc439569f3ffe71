/**
 * Cold start of the keyword side, in Node: what opening the side panel on an N-chunk memory costs
 * before the first results, with the ranking index loaded from its snapshot instead of rebuilt.
 *  - build: adding N synthetic chunks (bench/latency.ts's corpus) to a fresh index — what a first open
 *    without a snapshot pays;
 *  - save: `toSnapshot()` plus the structured clone IndexedDB makes of it (v8.serialize, the same
 *    serializer Chromium's IndexedDB uses), and the snapshot's bytes;
 *  - load: the structured clone read back (v8.deserialize) plus `fromSnapshot()`, then the first query;
 *  - the stored fields a result row shows (KeywordIndex keeps them beside the index), as one JSON blob
 *    and as an array of objects, to show what each costs to read back.
 * Memory is heap + external after a full collection (scripts/bench.mjs exposes gc).
 */
import { deserialize, serialize } from 'node:v8';
import { Bm25Index, RANKING_INDEX_OPTIONS } from '../extension/search/bm25-index';
import { syntheticCorpus } from './latency';

function memoryNow(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  // Three collections: ArrayBuffers dropped while building (each list's grown buffers) are swept
  // concurrently, and one collection still counts many of them (100k chunks: 47 MiB after one, 31 after three).
  gc();
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const cpu = () => process.cpuUsage().user / 1000;
function timed<T>(fn: () => T): { value: T; ms: number; cpu_ms: number } {
  const c0 = cpu();
  const t0 = performance.now();
  const value = fn();
  return { value, ms: Math.round(performance.now() - t0), cpu_ms: Math.round(cpu() - c0) };
}

export function runKeywordLoad(chunks: number, log: (s: string) => void = () => {}): Record<string, unknown>[] {
  const { texts, queries } = syntheticCorpus(chunks);
  const sourceOf = (i: number) => `s${Math.floor(i / 10)}`;
  const m0 = memoryNow();
  const build = timed(() => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    texts.forEach((text, i) => index.add(`page:${sourceOf(i)}#${i}`, { text }));
    index.pack();
    return index;
  });
  const m1 = memoryNow();
  log(`built ${chunks} chunks in ${build.ms} ms`);
  // Postings, forward index and lengths; the rest of index_mib is mostly the id table (IdTable) and the term dictionary.
  const postingBytes = build.value.postingBytes;
  const q = queries(5);
  const want = q.map((query) => build.value.search(query, 10).hits);
  const snap = timed(() => build.value.toSnapshot());
  const clone = timed(() => serialize(snap.value));
  const bytes = clone.value.length;
  const stored = Array.from({ length: chunks }, (_, i) => ({ id: `page:${sourceOf(i)}#${i}`, kind: 'page', key: `https://example.org/${sourceOf(i)}`, title: texts[i]!.slice(0, 40), url: `https://example.org/${sourceOf(i)}`, site: 'example.org', date: 1_700_000_000_000 + i }));
  const storedObjects = serialize(stored);
  const storedJson = serialize(new TextEncoder().encode(JSON.stringify(stored)));
  const bm25Bytes = clone.value;
  (build as { value: unknown }).value = null;
  snap.value = null as never;
  const load = timed(() => Bm25Index.fromSnapshot(deserialize(bm25Bytes), RANKING_INDEX_OPTIONS));
  const first = timed(() => load.value.search(q[0]!, 10));
  const same = q.every((query, i) => JSON.stringify(load.value.search(query, 10).hits) === JSON.stringify(want[i]));
  if (!same) throw new Error('the loaded index answers differently from the one saved');
  const readObjects = timed(() => deserialize(storedObjects) as unknown[]);
  const readJson = timed(() => JSON.parse(new TextDecoder().decode(deserialize(storedJson) as Uint8Array)) as unknown[]);
  const mib = (a?: number, b?: number) => (a !== undefined && b !== undefined ? Math.round(((b - a) / 2 ** 20) * 10) / 10 : undefined);
  log(`snapshot ${(bytes / 2 ** 20).toFixed(1)} MiB; load ${load.ms} ms; first query ${first.ms} ms`);
  const runtime = `node ${process.versions.node}`;
  return [
    { bench: 'keyword-load', what: 'build (no snapshot)', chunks, ms: build.ms, cpu_ms: build.cpu_ms, index_mib: mib(m0, m1), arrays_mib: Math.round((postingBytes / 2 ** 20) * 10) / 10, runtime },
    { bench: 'keyword-load', what: 'save (toSnapshot + structured clone)', chunks, ms: snap.ms + clone.ms, cpu_ms: snap.cpu_ms + clone.cpu_ms, snapshot_mib: Math.round((bytes / 2 ** 20) * 10) / 10, runtime },
    { bench: 'keyword-load', what: 'load (structured clone read + fromSnapshot)', chunks, ms: load.ms, cpu_ms: load.cpu_ms, runtime },
    { bench: 'keyword-load', what: 'first query after load', chunks, ms: first.ms, cpu_ms: first.cpu_ms, runtime },
    { bench: 'keyword-load', what: 'stored fields read back, array of objects', chunks, ms: readObjects.ms, cpu_ms: readObjects.cpu_ms, mib: Math.round((storedObjects.length / 2 ** 20) * 10) / 10, runtime },
    { bench: 'keyword-load', what: 'stored fields read back, one JSON blob', chunks, ms: readJson.ms, cpu_ms: readJson.cpu_ms, mib: Math.round((storedJson.length / 2 ** 20) * 10) / 10, runtime },
  ];
}
