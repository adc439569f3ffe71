import { describe, expect, it } from 'vitest';
import { VectorRows } from './vector-rows';
import { seededRandom } from '@/test-support/seeded-random';

interface Meta {
  id: string;
  sourceKind: string;
  sourceId: string;
  site?: string;
  [extra: string]: unknown;
}

/** The plain model the compact table must behave as: an array of metas, removal fills the hole with the last. */
class Model {
  metas: Meta[] = [];
  rowOf(id: string) {
    const i = this.metas.findIndex((m) => m.id === id);
    return i < 0 ? undefined : i;
  }
  rowsOfSource(kind: string, sourceId: string, order: Map<string, number>) {
    return this.metas
      .map((m, row) => ({ m, row }))
      .filter(({ m }) => m.sourceKind === kind && m.sourceId === sourceId)
      .sort((a, b) => order.get(a.m.id)! - order.get(b.m.id)!)
      .map(({ row }) => row);
  }
}

describe('VectorRows', () => {
  it('rebuilds kind:source#n ids from numbers and keeps other ids as strings', () => {
    const rows = new VectorRows<Meta>();
    const a = rows.append({ id: 'page:https://a.org/x#y#0', sourceKind: 'page', sourceId: 'https://a.org/x#y', site: 'a.org' });
    const b = rows.append({ id: 'page:https://a.org/x#y#1', sourceKind: 'page', sourceId: 'https://a.org/x#y', site: 'a.org' });
    const c = rows.append({ id: 'c7', sourceKind: 'highlight', sourceId: 'h1' });
    const d = rows.append({ id: 'page:https://a.org/x#y#01', sourceKind: 'page', sourceId: 'https://a.org/x#y', site: 'a.org' });
    expect([rows.idOf(a), rows.idOf(b), rows.idOf(c), rows.idOf(d)]).toEqual(['page:https://a.org/x#y#0', 'page:https://a.org/x#y#1', 'c7', 'page:https://a.org/x#y#01']);
    expect(rows.rowOf('page:https://a.org/x#y#1')).toBe(b);
    expect(rows.rowOf('page:https://a.org/x#y#01')).toBe(d);
    expect(rows.rowOf('page:https://a.org/x#y#2')).toBeUndefined();
    expect(rows.rowOf('c7')).toBe(c);
    expect(rows.metaOf(b)).toEqual({ id: 'page:https://a.org/x#y#1', sourceKind: 'page', sourceId: 'https://a.org/x#y', site: 'a.org' });
    expect(rows.rowsOfSource('page', 'https://a.org/x#y')).toEqual([a, b, d]);
  });

  it('keeps a meta that differs from its source own, and filters once per source otherwise', () => {
    const rows = new VectorRows<Meta>();
    for (let i = 0; i < 6; i++) rows.append({ id: `page:p#${i}`, sourceKind: 'page', sourceId: 'p', site: i === 4 ? 'b.org' : 'a.org' });
    rows.append({ id: 'note:n#0', sourceKind: 'note', sourceId: 'n', site: 'b.org' });
    expect(rows.metaOf(4).site).toBe('b.org');
    expect(rows.metaOf(5).site).toBe('a.org');
    const calls: string[] = [];
    const mask = new Uint8Array(7);
    rows.fillMask((m) => (calls.push(m.id), m.site === 'b.org'), mask);
    expect([...mask]).toEqual([0, 0, 0, 0, 1, 0, 1]);
    expect(calls).toEqual(['page:p#0', 'page:p#4', 'note:n#0']);
  });

  it('behaves as a plain array of metas under random appends, replacements and removals', () => {
    const rand = seededRandom(11);
    const rows = new VectorRows<Meta>();
    const model = new Model();
    // Insertion order per id (a replacement moves a row to the end of its source's rows).
    const order = new Map<string, number>();
    let tick = 0;
    const metaFor = (s: number, n: number, odd: boolean): Meta => {
      const kind = s % 3 === 0 ? 'a:b' : 'page';
      const id = odd ? `x${s}-${n}` : `${kind}:s${s}#${n}`;
      return { id, sourceKind: kind, sourceId: `s${s}`, site: rand() < 0.1 ? 'other' : `site${s % 2}` };
    };
    for (let step = 0; step < 3000; step++) {
      const r = rand();
      const meta = metaFor(Math.floor(rand() * 12), Math.floor(rand() * 8), rand() < 0.2);
      const existing = model.rowOf(meta.id);
      if (r < 0.6) {
        if (existing === undefined) {
          expect(rows.append(meta)).toBe(model.metas.length);
          model.metas.push(meta);
        } else {
          // Same id, maybe another source: the id keeps its row.
          rows.replace(existing, meta);
          model.metas[existing] = meta;
        }
        order.set(meta.id, tick++);
      } else if (existing !== undefined) {
        const last = model.metas.length - 1;
        expect(rows.remove(existing)).toBe(existing === last ? -1 : last);
        model.metas[existing] = model.metas[last]!;
        model.metas.pop();
      }
      expect(rows.size).toBe(model.metas.length);
      if (step % 100 === 0 || step === 2999) {
        model.metas.forEach((m, row) => {
          expect(rows.idOf(row)).toBe(m.id);
          expect(rows.rowOf(m.id)).toBe(row);
          expect(rows.metaOf(row)).toEqual(m);
        });
        for (let s = 0; s < 12; s++) {
          const kind = s % 3 === 0 ? 'a:b' : 'page';
          expect(rows.rowsOfSource(kind, `s${s}`)).toEqual(model.rowsOfSource(kind, `s${s}`, order));
        }
        const mask = new Uint8Array(rows.size);
        rows.fillMask((m) => m.site === 'site1', mask);
        expect([...mask]).toEqual(model.metas.map((m) => (m.site === 'site1' ? 1 : 0)));
      }
    }
  });
});
