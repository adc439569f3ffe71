import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './fusion';
import { ftsQuery, snippetMarks, snippetParts } from './user-store';
import { base64ToBytes, floatsToBase64, toUnitFloats } from './vector-codec';
import { LocalVectorIndex, VectorizeVectorIndex, type VectorizeBinding } from './vector-index';

describe('reciprocal rank fusion', () => {
  it('ranks items found by both lists above items found by one', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'd', 'a'],
    ]);
    expect(fused.map((f) => f.id).slice(0, 2).sort()).toEqual(['a', 'c']);
    expect(fused.find((f) => f.id === 'a')!.ranks).toEqual([1, 3]);
    expect(fused.find((f) => f.id === 'a')!.score).toBeCloseTo(1 / 61 + 1 / 63, 12);
  });
});

describe('keyword query and snippets', () => {
  it('quotes every word so user text is never FTS syntax', () => {
    expect(ftsQuery('Cats AND "dogs" -x*')).toBe('"cats" OR "and" OR "dogs" OR "x"*');
    expect(ftsQuery('  ***  ')).toBeNull();
  });
  it('turns marked snippets into parts', () => {
    const marks = { start: '<<', end: '>>' };
    expect(snippetParts('the <<cat>> sat on <<mats>>', marks)).toEqual([
      { text: 'the ', match: false },
      { text: 'cat', match: true },
      { text: ' sat on ', match: false },
      { text: 'mats', match: true },
    ]);
  });
  it('makes fresh marks per query and drops control characters from the parts', () => {
    const a = snippetMarks();
    const b = snippetMarks();
    expect(a.start).not.toBe(b.start);
    expect(snippetParts(`x\u0001y ${a.start}hit\u0007${a.end} \u0002z`, a)).toEqual([
      { text: 'xy ', match: false },
      { text: 'hit', match: true },
      { text: ' z', match: false },
    ]);
  });
});

describe('vector codec', () => {
  it('round-trips float32 through base64 and normalises', () => {
    const bytes = base64ToBytes(floatsToBase64([3, 4]));
    expect(Array.from(toUnitFloats('f32', 1, bytes, 2))).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });
  it('dequantises int8 with its scale', () => {
    const bytes = new Uint8Array(new Int8Array([-127, 0]).buffer);
    expect(Array.from(toUnitFloats('i8', 0.01, bytes, 2))).toEqual([-1, 0]);
  });
});

describe('LocalVectorIndex', () => {
  it('returns the best chunk per record, by cosine', async () => {
    let loads = 0;
    const index = new LocalVectorIndex(() => {
      loads += 1;
      return {
        dims: 2,
        rows: [
          { docId: 1, values: Float32Array.from([1, 0]) },
          { docId: 1, values: Float32Array.from([0.6, 0.8]) },
          { docId: 2, values: Float32Array.from([0, 1]) },
        ],
      };
    });
    const hits = await index.query('m', Float32Array.from([0, 2]), 10);
    expect(hits.map((h) => h.docId)).toEqual([2, 1]);
    expect(hits[1]!.score).toBeCloseTo(0.8, 6);
    await index.query('m', Float32Array.from([1, 0]), 10);
    expect(loads).toBe(1); // cached in memory
    index.invalidate();
    await index.query('m', Float32Array.from([1, 0]), 10);
    expect(loads).toBe(2);
    expect(await index.query('m', Float32Array.from([1, 0, 0]), 10)).toEqual([]);
  });
});

describe('VectorizeVectorIndex (against a recording double of the binding)', () => {
  it('writes and queries inside the user’s namespace only, filtered by model', async () => {
    const calls: { op: string; args: unknown }[] = [];
    const binding: VectorizeBinding = {
      upsert: async (vectors) => void calls.push({ op: 'upsert', args: vectors }),
      deleteByIds: async (ids) => void calls.push({ op: 'delete', args: ids }),
      query: async (vector, options) => {
        calls.push({ op: 'query', args: options });
        return { matches: [ { id: '7_0', score: 0.5 }, { id: '7_1', score: 0.9 }, { id: '3_0', score: 0.7 } ] };
      },
    };
    const index = new VectorizeVectorIndex(binding, 'usr_alice');
    await index.upsert([{ docId: 7, chunk: 1, model: 'm', values: Float32Array.from([1, 0]) }]);
    await index.removeDocs([3], 2);
    const hits = await index.query('m', Float32Array.from([1, 0]), 5);
    expect(hits).toEqual([
      { docId: 7, score: 0.9 },
      { docId: 3, score: 0.7 },
    ]);
    expect(calls[0]).toEqual({ op: 'upsert', args: [{ id: '7_1', values: [1, 0], namespace: 'usr_alice', metadata: { model: 'm', doc: 7 } }] });
    expect(calls[1]).toEqual({ op: 'delete', args: ['3_0', '3_1'] });
    expect(calls[2]!.args).toMatchObject({ namespace: 'usr_alice', filter: { model: 'm' } });
  });
});
