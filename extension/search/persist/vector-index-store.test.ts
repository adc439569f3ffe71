import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb, ChunkRow, EmbeddedSourceRow } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { seededRandom } from '@/test-support/seeded-random';
import { quantizeInt8 } from '../quantize';
import { VectorIndex, type VectorIndexOptions, type VectorMeta } from '../vector-index';
import { snapshotName, VectorIndexStore } from './vector-index-store';
import { decodeVectorSnapshot, encodeVectorSnapshot, type StoredVectorSnapshot } from './vector-snapshot';

// The vector index's saved snapshot and its catch-up from the tables (issue 15, cold start), on
// fake-indexeddb: whatever was saved, and whatever changed since, the opened index must answer exactly
// what an index read from every chunk row answers.

const DIMS = 32;
const MODEL = 'test-model';
type Meta = VectorMeta & { url: string; site: string; title: string; at: number };

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('vector-store');
});
afterEach(async () => {
  await dropTestDb(db);
});

const rand = seededRandom(7);
function vector(): Float32Array {
  const v = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) v[i] = rand() * 2 - 1;
  return v;
}

/** Writes a source's chunks and its embeddedSources row, as the indexing queue commits them. */
async function embedSource(n: number, chunks: number, embeddedAt: number, model = MODEL): Promise<ChunkRow[]> {
  const url = `https://site${n % 3}.example/${n}`;
  const rows: ChunkRow[] = Array.from({ length: chunks }, (_, ordinal) => {
    const { q, scale } = quantizeInt8(vector());
    return { id: `page:${url}#${ordinal}`, sourceKind: 'page', sourceId: url, model, ordinal, text: `text ${n} ${ordinal}`, vector: q, scale, url, site: `site${n % 3}.example`, title: `Page ${n}`, at: 1_700_000_000_000 + n };
  });
  const source: EmbeddedSourceRow = { key: `page:${url}`, sourceKind: 'page', sourceId: url, model, hash: `h${n}-${embeddedAt}`, chunkCount: chunks, embeddedAt };
  await db.transaction('rw', db.chunks, db.embeddedSources, async () => {
    await db.chunks.where('[sourceKind+sourceId]').equals(['page', url]).delete();
    await db.chunks.bulkPut(rows);
    await db.embeddedSources.put(source);
  });
  return rows;
}

async function dropSource(n: number): Promise<void> {
  const url = `https://site${n % 3}.example/${n}`;
  await db.chunks.where('[sourceKind+sourceId]').equals(['page', url]).delete();
  await db.embeddedSources.delete(`page:${url}`);
}

const rowOf = (row: ChunkRow) => {
  const { text: _t, ordinal: _o, ...rest } = row;
  return rest as unknown as Meta & { model: string; scale: number; vector: Int8Array };
};

function options(extra: Partial<VectorIndexOptions> = {}): VectorIndexOptions {
  // exactUpTo 0: the code scan + rescore, the path a big memory takes.
  return { dims: DIMS, model: MODEL, kernel: 'js', exactUpTo: 0, int8Source: async (ids) => (await db.chunks.bulkGet([...ids])).map((r) => r && { vector: r.vector, scale: r.scale }), ...extra };
}

const store = (extra: Partial<VectorIndexOptions> = {}) => new VectorIndexStore<Meta>({ db, index: options(extra), rowOf, minSaveIntervalMs: 0 });

/** The truth: an index read from every chunk row of the model. */
async function fromEveryRow(extra: Partial<VectorIndexOptions> = {}): Promise<VectorIndex<Meta>> {
  const index = new VectorIndex<Meta>(options(extra));
  for (const row of await db.chunks.toArray()) if (row.model === MODEL) index.addRow(rowOf(row));
  return index;
}

async function expectSameAnswers(a: VectorIndex<Meta>, b: VectorIndex<Meta>): Promise<void> {
  expect(a.size).toBe(b.size);
  for (let i = 0; i < 5; i++) {
    const q = vector();
    const [x, y] = await Promise.all([a.search(q, 10), b.search(q, 10)]);
    expect(x.map((h) => [h.id, h.score, h.meta.url, h.meta.at])).toEqual(y.map((h) => [h.id, h.score, h.meta.url, h.meta.at]));
  }
}

describe('vector snapshot encoding', () => {
  it('stores each distinct meta once and restores the same metas, codes and int8 rows', async () => {
    for (let n = 0; n < 6; n++) await embedSource(n, 4, 1000 + n);
    const index = await fromEveryRow();
    const stored = encodeVectorSnapshot(index.snapshot(), new Map([['page:x', 1]]), 42);
    expect(JSON.parse(stored.metaTable)).toHaveLength(6);
    expect(stored.metaOfRow).toHaveLength(24);
    const { snapshot, sources } = decodeVectorSnapshot<Meta>(stored);
    expect(sources).toEqual(new Map([['page:x', 1]]));
    expect(snapshot.metas).toEqual(index.snapshot().metas);
    await expectSameAnswers(VectorIndex.restore(snapshot, options()), index);
  });

  it('refuses a row of another version or with rows that disagree', () => {
    const stored = encodeVectorSnapshot(new VectorIndex<Meta>(options()).snapshot(), new Map());
    expect(() => decodeVectorSnapshot({ ...stored, version: 99 })).toThrow(/version/);
    expect(() => decodeVectorSnapshot({ ...stored, count: 3 })).toThrow(/disagree/);
  });
});

describe('VectorIndexStore', () => {
  it('without a snapshot reads every chunk, saves, and the next open restores it without re-reading', async () => {
    for (let n = 0; n < 20; n++) await embedSource(n, 3, 5000 + n);
    await embedSource(99, 2, 1, 'other-model');
    const first = await store().open();
    expect(first).toMatchObject({ from: 'chunks', removed: 0 });
    await expectSameAnswers(first.index, await fromEveryRow());

    const s = store();
    const opened = await s.open();
    expect(opened.from).toBe('chunks');
    expect(await s.saveIfDue(opened.index)).toBe(true);
    expect(await db.searchSnapshots.get(snapshotName(MODEL))).toBeDefined();
    expect(await s.saveIfDue(opened.index)).toBe(false);

    const again = await store().open();
    expect(again).toMatchObject({ from: 'snapshot', reread: 0, removed: 0 });
    await expectSameAnswers(again.index, await fromEveryRow());
  });

  it('catches up with re-embedded, new and deleted sources from the tables, not by reading every chunk', async () => {
    for (let n = 0; n < 30; n++) await embedSource(n, 3, 5000 + n);
    const s = store();
    await s.save((await s.open()).index);

    await embedSource(4, 5, 9000); // re-embedded: new vectors, more chunks
    await embedSource(7, 3, 9001); // re-embedded with the same chunk count
    await embedSource(40, 2, 9002); // new since the save
    await dropSource(11); // deleted since the save
    const opened = await store().open();
    expect(opened).toMatchObject({ from: 'snapshot', reread: 3, removed: 1 });
    await expectSameAnswers(opened.index, await fromEveryRow());
  });

  it('does not trust a source whose chunks changed behind the index: it is re-read on the next open', async () => {
    for (let n = 0; n < 10; n++) await embedSource(n, 3, 5000 + n);
    const s = store();
    const { index } = await s.open();
    // Another context rewrites a source (new chunk count) while this index still holds the old one.
    await embedSource(2, 4, 5002);
    await s.save(index);
    const opened = await store().open();
    expect(opened.reread).toBe(1);
    await expectSameAnswers(opened.index, await fromEveryRow());
  });

  it('past the hold limit keeps only the codes and still answers like a full read', async () => {
    for (let n = 0; n < 12; n++) await embedSource(n, 3, 5000 + n);
    const s = store({ holdInt8UpTo: 10 });
    await s.save((await s.open()).index);
    const stored = (await db.searchSnapshots.get(snapshotName(MODEL)))!.value as StoredVectorSnapshot;
    expect(stored.int8).toBeNull();
    const opened = await store({ holdInt8UpTo: 10 }).open();
    expect(opened.from).toBe('snapshot');
    expect(opened.index.holdsInt8).toBe(false);
    await expectSameAnswers(opened.index, await fromEveryRow({ holdInt8UpTo: 10 }));
  });

  it('reads every chunk instead when most sources changed, or when the snapshot is damaged', async () => {
    for (let n = 0; n < 10; n++) await embedSource(n, 2, 5000 + n);
    const s = store();
    await s.save((await s.open()).index);
    const row = (await db.searchSnapshots.get(snapshotName(MODEL)))!;
    await db.searchSnapshots.put({ name: row.name, value: { ...(row.value as StoredVectorSnapshot), ids: '[]' } });
    const damaged = await store().open();
    expect(damaged.from).toBe('chunks');
    await expectSameAnswers(damaged.index, await fromEveryRow());

    await s.save(damaged.index);
    for (let n = 0; n < 300; n++) await embedSource(n, 1, 8000 + n);
    const changed = await new VectorIndexStore<Meta>({ db, index: options(), rowOf, fullReadShare: 0.3 }).open();
    expect(changed.from).toBe('chunks');
    await expectSameAnswers(changed.index, await fromEveryRow());
  });

  it('saves at most once per interval while chunks keep changing', async () => {
    await embedSource(1, 2, 1);
    const s = new VectorIndexStore<Meta>({ db, index: options(), rowOf, minSaveIntervalMs: 60_000 });
    const { index } = await s.open();
    expect(await s.saveIfDue(index, 1_000_000)).toBe(true);
    s.markChanged();
    expect(await s.saveIfDue(index, 1_030_000)).toBe(false);
    expect(await s.saveIfDue(index, 1_061_000)).toBe(true);
    expect(await s.saveIfDue(index, 2_000_000)).toBe(false);
  });
});
