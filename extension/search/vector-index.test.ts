import { describe, expect, it } from 'vitest';
import { VectorIndex, type StoredInt8, type VectorMeta } from './vector-index';
import { quantizeInt8 } from './quantize';

function unit(seed: number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let s = seed * 7919 + 1;
  let n = 0;
  for (let i = 0; i < dims; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[i] = s / 2147483648 - 0.5;
    n += v[i]! * v[i]!;
  }
  return v.map((x) => x / Math.sqrt(n));
}
const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

interface Meta extends VectorMeta {
  site: string;
}

for (const kernel of ['wasm-simd', 'js'] as const) {
  describe(`VectorIndex (${kernel})`, () => {
    const dims = 64;
    // exactUpTo 0: the code scan + rescore path even at test sizes (it is the one at a million chunks).
    const make = () => new VectorIndex<Meta>({ dims, model: 'test-model', kernel, exactUpTo: 0 });
    const meta = (i: number, sourceId = `p${Math.floor(i / 3)}`): Meta => ({ id: `c${i}`, sourceKind: i % 2 ? 'highlight' : 'page', sourceId, site: i % 4 ? 'a.org' : 'b.org' });

    it('finds each stored vector first with cosine ≈ 1 and ranks like exact cosine', () => {
      const index = make();
      expect(index.kernelKind).toBe(kernel);
      const vectors = Array.from({ length: 200 }, (_, i) => unit(i, dims));
      vectors.forEach((v, i) => index.upsert(meta(i), v));
      expect(index.size).toBe(200);
      for (const i of [0, 17, 199]) {
        const hits = index.topK(vectors[i]!, 5);
        expect(hits[0]!.id).toBe(`c${i}`);
        expect(hits[0]!.score).toBeCloseTo(1, 1);
        const exact = vectors.map((v, j) => [cos(v, vectors[i]!), j] as const).sort((a, b) => b[0] - a[0]);
        // int8 scores stay within 0.02 of exact cosine
        hits.forEach((h) => expect(Math.abs(h.score - cos(vectors[Number(h.id.slice(1))]!, vectors[i]!))).toBeLessThan(0.02));
        expect(hits.map((h) => h.id).slice(0, 1)).toEqual([`c${exact[0]![1]}`]);
      }
    });

    it('updates, removes by id and by source, keeping the rest searchable', () => {
      const index = make();
      const vectors = Array.from({ length: 30 }, (_, i) => unit(i + 1000, dims));
      vectors.forEach((v, i) => index.upsert(meta(i), v));
      // update c5 to c7's vector: both are then the best hit for it
      index.upsert(meta(5), vectors[7]!);
      expect(index.size).toBe(30);
      expect(new Set(index.topK(vectors[7]!, 2).map((h) => h.id))).toEqual(new Set(['c5', 'c7']));
      expect(index.remove('c0')).toBe(true);
      expect(index.remove('c0')).toBe(false);
      expect(index.size).toBe(29);
      // the row moved into c0's hole (the last one) is still found
      expect(index.topK(vectors[29]!, 1)[0]!.id).toBe('c29');
      expect(index.idsOfSource('page', 'p3').sort()).toEqual(['c10'].sort());
      expect(index.removeSource('highlight', 'p3')).toBe(2); // c9, c11
      expect(index.has('c9') || index.has('c11')).toBe(false);
      for (let i = 1; i < 30; i++) {
        if (i === 9 || i === 11 || i === 5 || i === 7) continue;
        expect(index.topK(vectors[i]!, 1)[0]!.id).toBe(`c${i}`);
      }
    });

    it('applies a filter and returns fewer than k when few rows pass', () => {
      const index = make();
      Array.from({ length: 40 }, (_, i) => index.upsert(meta(i), unit(i + 50, dims)));
      const hits = index.topK(unit(62, dims), 100, (m) => m.site === 'b.org' && m.sourceKind === 'page');
      expect(hits.length).toBe(10);
      expect(hits.every((h) => h.meta.site === 'b.org' && h.meta.sourceKind === 'page')).toBe(true);
      expect(hits[0]!.id).toBe('c12');
    });

    it('averages the first chunks of given sources (for keyword-seeded queries)', () => {
      const index = make();
      const a = unit(1, dims), b = unit(2, dims);
      index.upsert({ id: 'x0', sourceKind: 'page', sourceId: 'u1', site: '' }, a);
      index.upsert({ id: 'x1', sourceKind: 'page', sourceId: 'u1', site: '' }, b);
      index.upsert({ id: 'y0', sourceKind: 'highlight', sourceId: 'h1', site: '' }, b);
      const c = index.sourcesCentroid(['page:u1', 'highlight:h1', 'page:missing'])!;
      for (let i = 0; i < dims; i++) expect(c[i]!).toBeCloseTo((a[i]! + b[i]!) / 2, 2);
      expect(index.sourcesCentroid(['page:missing'])).toBeNull();
    });

    it('round-trips through IndexedDB-shaped rows, and refuses another model', () => {
      const index = make();
      const vectors = Array.from({ length: 20 }, (_, i) => unit(i + 300, dims));
      vectors.forEach((v, i) => index.upsert(meta(i), v));
      const rows = index.toRows();
      expect(rows[0]).toMatchObject({ id: 'c0', sourceKind: 'page', sourceId: 'p0', site: 'b.org', model: 'test-model', dims });
      expect(rows[0]!.vector).toBeInstanceOf(Int8Array);
      const copy = VectorIndex.fromRows<Meta>(structuredClone(rows), { dims, model: 'test-model', kernel });
      for (let i = 0; i < 20; i++) {
        expect(copy.topK(vectors[i]!, 3)).toEqual(index.topK(vectors[i]!, 3));
      }
      expect(() => copy.addRow({ ...rows[0]!, model: 'other' })).toThrow(/model/);
      expect(() => copy.upsert(meta(99), new Float32Array(8))).toThrow(RangeError);
    });

    it('returns exactly the int8 scan\'s top k when the candidates hold it (scores are int8 cosines)', () => {
      const wide = 512;
      const exact = new VectorIndex<Meta>({ dims: wide, model: 'test-model', kernel, scan: 'int8' });
      const few = new VectorIndex<Meta>({ dims: wide, model: 'test-model', kernel, candidates: 60, exactUpTo: 0 });
      const small = new VectorIndex<Meta>({ dims: wide, model: 'test-model', kernel, candidates: 1 });
      const all = new VectorIndex<Meta>({ dims: wide, model: 'test-model', kernel, candidates: 10_000, exactUpTo: 0 });
      // Clusters around a few directions, so a query's nearest rows stand out as real embeddings' do.
      const centres = Array.from({ length: 8 }, (_, c) => unit(c + 7000, wide));
      for (let i = 0; i < 600; i++) {
        const noise = unit(i + 8000, wide);
        const v = centres[i % 8]!.map((x, j) => x + 0.6 * noise[j]!);
        for (const index of [exact, few, all, small]) index.upsert(meta(i), v);
      }
      for (let t = 0; t < 8; t++) {
        const q = centres[t]!.map((x, j) => x + 0.3 * unit(t + 9000, wide)[j]!);
        // Every row a candidate: the rescore is the exact scan, hit for hit.
        expect(all.topK(q, 10)).toEqual(exact.topK(q, 10));
        // 60 of 600 candidates: the top 10 still come out exactly (their codes rank them high).
        expect(few.topK(q, 10)).toEqual(exact.topK(q, 10));
        // Below EXACT_UP_TO rows a held index scans int8 itself, whatever its candidate depth.
        expect(small.topK(q, 10)).toEqual(exact.topK(q, 10));
      }
      expect(all.topK(centres[0]!, 10, (m) => m.site === 'b.org')).toEqual(exact.topK(centres[0]!, 10, (m) => m.site === 'b.org'));
    });

    it('reads the candidates\' int8 vectors from the source past holdInt8UpTo (search, centroid), not sync', async () => {
      const stored = new Map<string, StoredInt8>();
      const reads: number[] = [];
      const int8Source = async (ids: readonly string[]) => {
        reads.push(ids.length);
        return ids.map((id) => stored.get(id));
      };
      const held = new VectorIndex<Meta>({ dims, model: 'test-model', kernel, candidates: 30, exactUpTo: 0 });
      const index = new VectorIndex<Meta>({ dims, model: 'test-model', kernel, int8Source, holdInt8UpTo: 50, sourceCandidates: 30, exactUpTo: 0 });
      const vectors = Array.from({ length: 120 }, (_, i) => unit(i + 400, dims));
      vectors.forEach((v, i) => {
        const { q, scale } = quantizeInt8(v);
        stored.set(`c${i}`, { vector: q.slice(), scale });
        index.addRow({ ...meta(i), model: 'test-model', scale, vector: q });
        held.addRow({ ...meta(i), model: 'test-model', scale, vector: q });
      });
      expect(index.holdsInt8).toBe(false);
      expect(held.holdsInt8).toBe(true);
      expect(index.vectorBytes).toBeLessThan(held.vectorBytes / 3);
      expect(() => index.topK(vectors[3]!, 5)).toThrow(/search\(\)/);
      for (const i of [3, 60, 119]) {
        const hits = await index.search(vectors[i]!, 5);
        expect(hits[0]!.id).toBe(`c${i}`);
        expect(hits).toEqual(held.topK(vectors[i]!, 5));
      }
      expect(reads.every((n) => n === 30)).toBe(true);
      expect(() => index.sourcesCentroid(['page:p0'])).toThrow(/sourcesCentroidAsync/);
      expect(await index.sourcesCentroidAsync(['page:p0', 'highlight:p1'])).toEqual(held.sourcesCentroid(['page:p0', 'highlight:p1']));
    });

    it('snapshots and restores codes, metas and held int8 vectors without re-coding', async () => {
      const index = make();
      const vectors = Array.from({ length: 70 }, (_, i) => unit(i + 500, dims));
      vectors.forEach((v, i) => index.upsert(meta(i), v));
      index.remove('c4');
      const snap = structuredClone(index.snapshot());
      expect(snap.codes.length).toBe(69 * 16);
      const copy = VectorIndex.restore<Meta>(snap, { dims, model: 'test-model', kernel, exactUpTo: 0 });
      expect(copy.size).toBe(69);
      expect(copy.idsOfSource('page', 'p2').sort()).toEqual(index.idsOfSource('page', 'p2').sort());
      for (const i of [0, 33, 69]) expect(copy.topK(vectors[i]!, 5)).toEqual(index.topK(vectors[i]!, 5));
      // Without its int8 vectors a snapshot needs a source to rescore from.
      const { int8: _int8, ...codesOnly } = snap;
      expect(() => VectorIndex.restore<Meta>(codesOnly, { dims, model: 'test-model', kernel })).toThrow(/int8Source/);
      const rows = new Map(index.toRows().map((r) => [r.id, r] as const));
      const sourced = VectorIndex.restore<Meta>(codesOnly, { dims, model: 'test-model', kernel, exactUpTo: 0, int8Source: (ids) => ids.map((id) => rows.get(id)) });
      expect(sourced.holdsInt8).toBe(false);
      expect(await sourced.search(vectors[33]!, 5)).toEqual(index.topK(vectors[33]!, 5));
      expect(() => VectorIndex.restore<Meta>(snap, { dims, model: 'other', kernel })).toThrow(/snapshot/);
    });
  });
}
