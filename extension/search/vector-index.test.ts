import { describe, expect, it } from 'vitest';
import { VectorIndex, type VectorMeta } from './vector-index';

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
    const make = () => new VectorIndex<Meta>({ dims, model: 'test-model', kernel });
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
  });
}
