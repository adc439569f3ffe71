import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Bm25Index, RANKING_INDEX_OPTIONS } from './bm25-index';
import { seededRandom } from '@/test-support/seeded-random';

/**
 * The index's answers on a seeded random corpus (with removals, re-adds and a compaction), compared with
 * what the uncompressed index (typed-array postings, before delta/varint postings) answered: the file in
 * testdata/ was written by that implementation (`WRITE_GOLDEN=1 npx vitest run` on commit f518b45). Any
 * change of ranking, score, match count or typeahead expansion fails here.
 */
const GOLDEN = new URL('./testdata/bm25-golden.json', import.meta.url);

function corpus() {
  const rand = seededRandom(20261204);
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'an', 'el', 'or', 'ub', 'ish', 'ent'];
  const vocab: string[] = [];
  const seen = new Set<string>();
  while (vocab.length < 3000) {
    let w = '';
    const len = 2 + Math.floor(rand() * 3);
    for (let i = 0; i < len; i++) w += syll[Math.floor(rand() * syll.length)];
    if (!seen.has(w)) seen.add(w), vocab.push(w);
  }
  // Zipf-ish: squaring the uniform draw favours the head.
  const word = () => vocab[Math.floor(rand() * rand() * vocab.length)]!;
  const text = (n: number) => Array.from({ length: n }, word).join(' ');
  const docs = Array.from({ length: 3000 }, (_, i) => ({ id: `d${i}`, title: rand() < 0.7 ? text(2 + Math.floor(rand() * 6)) : '', text: text(20 + Math.floor(rand() * 200)) }));
  const queries = Array.from({ length: 60 }, (_, i) => text(i < 40 ? 1 + Math.floor(rand() * 5) : 15 + Math.floor(rand() * 6)));
  const typed = queries.slice(0, 30).map((q) => q.slice(0, Math.max(1, q.length - 1 - Math.floor(rand() * 4))));
  // Typos: a swapped pair of letters in the last word.
  const typos = queries.slice(0, 10).map((q) => {
    const w = q.split(' ');
    const last = w[w.length - 1]!;
    w[w.length - 1] = last.length >= 4 ? last[1]! + last[0]! + last.slice(2) + 'x' : last;
    return w.join(' ');
  });
  return { docs, queries, typed: [...typed, ...typos, 'k', 'ka', 'lo'] };
}

function build() {
  const { docs } = corpus();
  const index = new Bm25Index(RANKING_INDEX_OPTIONS);
  for (const d of docs) index.add(d.id, d);
  // Removals (lazy, then swept), and documents replaced after them.
  for (let i = 0; i < 3000; i += 3) index.remove(`d${i}`);
  for (let i = 0; i < 600; i += 7) index.add(`d${i}`, docs[(i * 13) % docs.length]!);
  for (let i = 1; i < 200; i += 5) index.remove(`d${i}`);
  return index;
}

function answers(index: Bm25Index) {
  const { queries, typed } = corpus();
  const round = (r: { hits: { id: string; score: number; matched: number }[]; terms: string[]; maxScore: number; firstPass?: { id: string }[] }) => ({
    hits: r.hits.map((h) => [h.id, Math.fround(h.score), h.matched]),
    terms: r.terms,
    maxScore: r.maxScore,
    ...(r.firstPass ? { firstPass: r.firstPass.map((h) => h.id) } : {}),
  });
  return {
    search: queries.map((q) => round(index.search(q, 25))),
    feedback: queries.map((q) => round(index.searchWithFeedback(q, 40, { docs: 10, terms: 10, weight: 0.5 }))),
    filtered: queries.map((q) => round(index.search(q, 10, (id) => id.endsWith('1') || id.endsWith('4')))),
    typeahead: typed.map((q) => round(index.typeahead(q, 30, undefined, 12))),
  };
}

describe('Bm25Index on a seeded random corpus', () => {
  it('answers exactly as the uncompressed index did', () => {
    const got = answers(build());
    if (process.env.WRITE_GOLDEN) writeFileSync(GOLDEN, JSON.stringify(got));
    const want = JSON.parse(readFileSync(GOLDEN, 'utf8'));
    expect(got.search).toEqual(want.search);
    expect(got.feedback).toEqual(want.feedback);
    expect(got.filtered).toEqual(want.filtered);
    expect(got.typeahead).toEqual(want.typeahead);
  });

  it('answers the same after pack(), and after a binary snapshot round trip through structured clone', () => {
    const want = answers(build());
    const packed = build();
    packed.pack();
    const a = answers(packed);
    for (const k of ['search', 'feedback', 'filtered', 'typeahead'] as const) expect([k, a[k]]).toEqual([k, want[k]]);
    const loaded = Bm25Index.fromSnapshot(structuredClone(build().toSnapshot()), RANKING_INDEX_OPTIONS);
    // A loaded index computes its terms' score bounds afresh (a built one keeps bounds cached under older
    // averages), so terms may be summed in another order: the same documents, in the same order, with
    // the same match counts, and scores equal to float32 rounding.
    const b = answers(loaded);
    const shape = (r: (typeof b)['search'][number]) => ({ ...r, hits: r.hits.map(([id, , m]) => [id, m]) });
    for (const k of ['search', 'feedback', 'filtered', 'typeahead'] as const) {
      expect(b[k].map(shape)).toEqual(want[k].map(shape));
      b[k].forEach((r, i) => r.hits.forEach(([, score], j) => expect(score).toBeCloseTo(want[k][i]!.hits[j]![1] as number, 5)));
    }
    // Both keep taking documents (lists copied out of the shared buffer as they grow).
    const extra = { title: 'kalo', text: 'kalo mine kalo ruti' };
    for (const index of [packed, loaded]) index.add('new', extra);
    expect(packed.search('kalo mine', 5)).toEqual(loaded.search('kalo mine', 5));
    expect(loaded.search('kalo mine', 5).hits[0]!.id).toBe('new');
  });
});
