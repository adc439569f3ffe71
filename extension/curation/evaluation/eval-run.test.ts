// @vitest-environment happy-dom
import { createApp, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bm25Index, RANKING_INDEX_OPTIONS } from '@/search/bm25-index';
import { keywordList } from '@/search/hybrid';
import type { VectorHitMessage } from '@shared/schemas/ai-messages';
import { putRecords } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { highlightRecord } from '@/test-support/records';
import { recordDecision } from '../review-repository';
import { generateSynthetic } from '../synthetic/generate';
import { saveNewPairs, sourcesWithoutPairs } from '../synthetic/synthetic-repository';
import EvalPanel from './EvalPanel.vue';
import { chartColumns, EmptyEvaluationSetError, listEvalRuns, runPersonalEvaluation } from './eval-run';
import type { SearchDeps } from './search-adapter';

const HIGHLIGHTS = [
  { id: 'hl_molting_0001', text: 'Lobsters grow by molting their hard shells several times a year. A young lobster may molt 25 times before its first birthday.' },
  { id: 'hl_octopus_0002', text: 'Octopuses can open screw-top jars from the inside within minutes. Researchers in Naples filmed them solving puzzles repeatedly.' },
  { id: 'hl_coffee__0003', text: 'Espresso extraction takes roughly twenty seconds at nine bars of pressure. Grind size changes the flow rate more than anything else.' },
];

/** The user's search over the highlights: a real BM25 index for keywords; the vector side is a TEST
 * DOUBLE with no meaning that returns the highlights in a fixed order (its score is known in advance). */
function searchDeps(): SearchDeps {
  const index = new Bm25Index(RANKING_INDEX_OPTIONS);
  for (const h of HIGHLIGHTS) index.add(`highlight:${h.id}`, { title: '', text: h.text });
  const fixed: VectorHitMessage[] = HIGHLIGHTS.map((h, i): VectorHitMessage => ({ id: `highlight:${h.id}#0`, sourceKind: 'highlight', sourceId: h.id, score: 0.9 - i * 0.1, url: '', title: '', site: '', at: 0 }));
  return { rankKeywords: (q, _f, limit) => ({ list: keywordList(index.search(q, limit)), results: [] }), searchVectors: async () => ({ hits: fixed }) };
}

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb();
  await putRecords('highlights', HIGHLIGHTS.map((h) => highlightRecord(h.id, h.text)), db);
});
afterEach(async () => {
  await dropTestDb(db);
});

async function acceptAll(except: (i: number) => boolean = () => false) {
  const { pairs } = await generateSynthetic(await sourcesWithoutPairs(10, db), null, 1000);
  await saveNewPairs(pairs, db);
  for (const [i, p] of pairs.entries()) await recordDecision({ subjectKind: 'synthetic', subjectId: p.id, decision: except(i) ? 'reject' : 'accept', deviceId: 'dev_a' }, db);
  return pairs;
}

describe('personal evaluation over time', () => {
  it('measures only the accepted pairs, stores each run with what made its questions, oldest first', async () => {
    await expect(runPersonalEvaluation(searchDeps(), db, 10)).rejects.toBeInstanceOf(EmptyEvaluationSetError);
    const pairs = await acceptAll((i) => i === 0);
    const first = await runPersonalEvaluation(searchDeps(), db, 2_000_000);
    expect(first).toMatchObject({ questions: pairs.length - 1, templates: { 'synthetic-cloze@1': pairs.length - 1 }, engines: { extractive: pairs.length - 1 } });
    const by = Object.fromEntries(first.scores.map((s) => [s.ranker, s]));
    expect(Object.keys(by)).toEqual(['keyword', 'vector', 'hybrid']);
    expect(by.keyword!.recallAt10).toBe(1);
    // The vector double puts the molting highlight first: MRR below 1 for the others.
    expect(by.vector!.mrr).toBeLessThan(1);
    await runPersonalEvaluation(searchDeps(), db, 1_000_000);
    const runs = await listEvalRuns(db);
    expect(runs.map((r) => r.at)).toEqual([1_000_000, 2_000_000]);
    const { labels, data } = chartColumns(runs);
    expect(labels).toEqual(['keyword recall@10', 'keyword MRR', 'vector recall@10', 'vector MRR', 'hybrid recall@10', 'hybrid MRR']);
    expect(data[0]).toEqual([1000, 2000]);
    expect(data[4]).toEqual([by.vector!.mrr, by.vector!.mrr]);
  });

  it('a device without search by meaning measures keyword only and says why the others were not measured', async () => {
    await acceptAll();
    const broken: SearchDeps = { ...searchDeps(), searchVectors: async () => Promise.reject(new Error('no embedding model yet')) };
    const run = await runPersonalEvaluation(broken, db, 5_000);
    expect(run.scores.map((s) => s.ranker)).toEqual(['keyword']);
    expect(run.unavailable).toEqual({ vector: 'search by meaning failed: no embedding model yet', hybrid: 'search by meaning failed: no embedding model yet' });
    // The chart leaves gaps for rankers a run did not measure.
    const later = await runPersonalEvaluation(searchDeps(), db, 6_000);
    const { labels, data } = chartColumns([run, later]);
    expect(data[labels.indexOf('vector MRR') + 1]).toEqual([null, later.scores.find((s) => s.ranker === 'vector')!.mrr]);
  });

  it('the panel measures on demand and shows the latest scores (the chart needs a canvas, absent here)', async () => {
    let app: App | null = null;
    try {
      const host = document.body.appendChild(document.createElement('div'));
      app = createApp(EvalPanel, { db, searchDeps: async () => searchDeps() });
      app.mount(host);
      await new Promise((r) => setTimeout(r, 50));
      const $ = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
      $('eval-run')!.click();
      await new Promise((r) => setTimeout(r, 100));
      expect($('eval-error')!.textContent).toMatch(/accept some generated questions/);
      await acceptAll();
      $('eval-run')!.click();
      for (let i = 0; i < 20 && $('eval-panel')!.dataset.runs !== '1'; i++) await new Promise((r) => setTimeout(r, 50));
      expect($('eval-panel')!.dataset.runs).toBe('1');
      expect($('eval-score-keyword')!.textContent).toContain('100%');
      expect($('eval-latest')!.textContent).toContain('synthetic-cloze@1');
    } finally {
      app?.unmount();
      document.body.textContent = '';
    }
  });
});
