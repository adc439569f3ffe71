import { describe, expect, it } from 'vitest';
import { Bm25Index, RANKING_INDEX_OPTIONS } from '@/search/bm25-index';
import { keywordList } from '@/search/hybrid';
import type { VectorHitMessage } from '@shared/schemas/ai-messages';
import { clozePairs, sentencesOf } from '../synthetic/cloze';
import { scoreRanker } from './metrics';
import { evaluatePersonalSet } from './personal-eval';
import type { SearchDeps } from './search-adapter';

const HIGHLIGHTS = [
  { id: 'hl_molting_0001', text: 'Lobsters grow by molting their hard shells several times a year. A young lobster may molt 25 times before its first birthday.' },
  { id: 'hl_octopus_0002', text: 'Octopuses can open screw-top jars from the inside within minutes. Researchers in Naples filmed them solving puzzles repeatedly.' },
  { id: 'hl_coffee__0003', text: 'Espresso extraction takes roughly twenty seconds at nine bars of pressure. Grind size changes the flow rate more than anything else.' },
];

describe('cloze questions from highlights', () => {
  it("blanks each sentence's most specific term: a number, a name, else its longest content word", () => {
    const pairs = clozePairs({ id: HIGHLIGHTS[0]!.id, target: `highlight:${HIGHLIGHTS[0]!.id}`, text: HIGHLIGHTS[0]!.text });
    expect(pairs.map((p) => p.answer)).toEqual(['Lobsters', '25']);
    expect(pairs[1]).toMatchObject({ id: 'syn_hl_molting_0001_1', question: 'Fill in the blank: A young lobster may molt _____ times before its first birthday.', target: 'highlight:hl_molting_0001' });
    expect(pairs[1]!.query).not.toContain('25');
    expect(clozePairs({ id: 'hl_x', target: 'highlight:hl_x', text: HIGHLIGHTS[1]!.text }).map((p) => p.answer)).toEqual(['Octopuses', 'Naples']);
    expect(sentencesOf('Too short. Also short.')).toEqual([]);
  });
});

describe('personal evaluation', () => {
  it('recall@10 and MRR', () => {
    expect(scoreRanker('x', [{ target: 'a', ranked: ['a'] }, { target: 'b', ranked: ['c', 'b'] }, { target: 'd', ranked: ['c'] }])).toEqual({ ranker: 'x', questions: 3, recallAt10: 2 / 3, mrr: (1 + 0.5) / 3 });
  });

  it('measures keyword, vector and hybrid rankers on the generated questions through the one adapter', async () => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    for (const h of HIGHLIGHTS) index.add(`highlight:${h.id}`, { title: '', text: h.text });
    // The vector side here is a TEST DOUBLE with no meaning at all: it returns the highlights in a fixed
    // order, so the vector ranker's score is known in advance (target first for one question in three).
    const fixed: VectorHitMessage[] = HIGHLIGHTS.map((h, i): VectorHitMessage => ({ id: `highlight:${h.id}#0`, sourceKind: 'highlight', sourceId: h.id, score: 0.9 - i * 0.1, url: '', title: '', site: '', at: 0 }));
    const deps: SearchDeps = {
      rankKeywords: (q, _f, limit) => ({ list: keywordList(index.search(q, limit)), results: [] }),
      searchVectors: async () => ({ hits: fixed }),
    };
    const pairs = HIGHLIGHTS.flatMap((h) => clozePairs({ id: h.id, target: `highlight:${h.id}`, text: h.text }));
    const run = await evaluatePersonalSet(pairs, deps, 42);
    expect(run).toMatchObject({ at: 42, questions: 6 });
    const by = Object.fromEntries(run.scores.map((s) => [s.ranker, s]));
    expect(by.keyword!.recallAt10).toBe(1);
    expect(by.keyword!.mrr).toBe(1);
    expect(by.vector!.recallAt10).toBe(1);
    expect(by.vector!.mrr).toBeCloseTo((2 * 1 + 2 * 0.5 + 2 / 3) / 6);
    expect(by.hybrid!.recallAt10).toBe(1);
  });
});
