// @vitest-environment happy-dom
import { createApp, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECORD_SCHEMAS } from '@shared/schemas/sync';
import { exportDataset } from '@shared/datasets/export';
import { parseJsonl } from '@shared/datasets/formats';
import type { Engine, GenerationInput } from '@/ai/engines/types';
import { changesSince } from '@/db/change-log';
import { putRecords } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { highlightRecord, pageRecord } from '@/test-support/records';
import { recordDecision } from '../review-repository';
import { buildQueue, curatedItems, DEFAULT_FILTERS, evaluationSet, filterOptions } from '../review-queue';
import ReviewTab from '../ui/ReviewTab.vue';
import { generateSynthetic, pairId } from './generate';
import { saveNewPairs, sourcesWithoutPairs } from './synthetic-repository';

const MOLTING = 'Lobsters grow by molting their hard shells several times a year. A young lobster may molt 25 times before its first birthday.';
const PAGE_URL = 'https://example.com/octopus?ref=a b';
const OCTOPUS = 'Octopuses can open screw-top jars from the inside within minutes. Researchers in Naples filmed them solving puzzles repeatedly.';

/** A generating engine as a TEST DOUBLE: replies with a fixed JSON-lines text and keeps the prompts it got. */
function engineDouble(reply: string | Error): Engine & { inputs: GenerationInput[] } {
  const inputs: GenerationInput[] = [];
  return {
    id: 'openai-compatible',
    label: 'test double',
    local: true,
    inputs,
    available: async () => ({ status: 'available' }),
    generate: async (input) => {
      inputs.push(input);
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
}

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb();
  await putRecords('highlights', [highlightRecord('hl_molting_0001', MOLTING, { pageTitle: 'Lobster life' })], db);
  await putRecords('pages', [pageRecord(PAGE_URL, 'Octopus smarts', OCTOPUS)], db);
});
afterEach(async () => {
  await dropTestDb(db);
});

describe('generated question/answer pairs', () => {
  it('the extractive engine writes cloze pairs from highlights and pages, labelled synthetic with their template version, synced', async () => {
    const sources = await sourcesWithoutPairs(10, db);
    expect(sources.map((s) => `${s.kind}:${s.id}`)).toEqual(['highlight:hl_molting_0001', `page:${PAGE_URL}`]);
    const report = await generateSynthetic(sources, null, 1000);
    expect(report.skipped).toEqual([]);
    expect(report.pairs.map((p) => [p.generator, p.engine, `${p.template.id}@${p.template.version}`, p.answer, p.target])).toEqual([
      ['cloze', 'extractive', 'synthetic-cloze@1', 'Lobsters', 'highlight:hl_molting_0001'],
      ['cloze', 'extractive', 'synthetic-cloze@1', '25', 'highlight:hl_molting_0001'],
      ['cloze', 'extractive', 'synthetic-cloze@1', 'Octopuses', `page:${PAGE_URL}`],
      ['cloze', 'extractive', 'synthetic-cloze@1', 'Naples', `page:${PAGE_URL}`],
    ]);
    // A page URL is not an id: the pair's id is a hash of it, valid for every record schema.
    for (const p of report.pairs) expect(RECORD_SCHEMAS.synthetic.safeParse(p).success).toBe(true);
    expect(report.pairs[2]!.id).toBe(pairId(sources[1]!, 'cloze', 0));

    expect((await saveNewPairs(report.pairs, db)).length).toBe(4);
    // Regenerating never duplicates and never overwrites what was stored.
    expect(await saveNewPairs((await generateSynthetic(sources, null, 2000)).pairs, db)).toEqual([]);
    expect((await db.syntheticPairs.toArray()).every((p) => p.createdAt === 1000)).toBe(true);
    expect(await sourcesWithoutPairs(10, db)).toEqual([]);
    expect((await changesSince(0, 100, db)).filter((c) => c.table === 'syntheticPairs')).toHaveLength(4);
  });

  it('a generating engine gets the synthetic-qa prompt; unusable replies and engine errors are reported, not stored', async () => {
    const [highlight, page] = await sourcesWithoutPairs(10, db);
    const engine = engineDouble('{"question":"How often does a young lobster molt in its first year?","answer":"About 25 times."}\nSure! Here you go.');
    const report = await generateSynthetic([highlight!], engine, 5);
    expect(engine.inputs[0]!.messages[0]!.content).toMatch(/question and answer pairs/);
    expect(engine.inputs[0]!.template).toEqual({ id: 'synthetic-qa', version: 1 });
    expect(engine.inputs[0]!.messages[1]!.content).toContain('25 times before its first birthday');
    expect(report.pairs).toEqual([
      expect.objectContaining({ generator: 'model', engine: 'openai-compatible', template: { id: 'synthetic-qa', version: 1 }, query: 'How often does a young lobster molt in its first year?', answer: 'About 25 times.', synthetic: true }),
    ]);
    const failing = await generateSynthetic([page!], engineDouble(new Error('the endpoint is down')), 5);
    expect(failing).toEqual({ pairs: [], skipped: [{ source: `page:${PAGE_URL}`, reason: 'the endpoint is down' }] });
    expect((await generateSynthetic([page!], engineDouble('I cannot do that.'), 5)).skipped[0]!.reason).toMatch(/no usable pair/);
  });
});

describe('generated pairs in the review queue and the exports', () => {
  const settle = async () => {
    for (let i = 0; i < 8; i++) await new Promise((r) => setTimeout(r, 10));
  };
  let app: App | null = null;
  afterEach(() => {
    app?.unmount();
    app = null;
    document.body.textContent = '';
  });

  it('are reviewed like real feedback (subjectKind synthetic), filtered by origin and template, and exported marked synthetic', async () => {
    const { pairs } = await generateSynthetic(await sourcesWithoutPairs(10, db), null, 1000);
    await saveNewPairs(pairs, db);
    const host = document.body.appendChild(document.createElement('div'));
    app = createApp(ReviewTab, { db, deviceId: async () => 'dev_a' });
    app.mount(host);
    await settle();
    const $ = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement;
    expect($('review-count').dataset.count).toBe('4');
    expect($('review-item').dataset.kind).toBe('synthetic');
    expect($('review-synthetic').textContent).toContain('synthetic · cloze');
    const root = $('review-tab');
    const press = async (key: string) => {
      root.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      await settle();
    };
    await press('a');
    await press('a');
    await press('r');
    const reviews = await db.reviews.toArray();
    expect(reviews.map((r) => [r.subjectKind, r.decision]).sort()).toEqual([['synthetic', 'accept'], ['synthetic', 'accept'], ['synthetic', 'reject']]);

    const feedback = await db.feedback.toArray();
    const stored = await db.syntheticPairs.toArray();
    expect(buildQueue(feedback, reviews, { ...DEFAULT_FILTERS, status: 'all', origin: 'real' }, stored)).toEqual([]);
    expect(buildQueue(feedback, reviews, { ...DEFAULT_FILTERS, status: 'all', template: 'synthetic-cloze@1' }, stored)).toHaveLength(4);
    expect(filterOptions(feedback, stored).templates).toEqual(['synthetic-cloze@1']);
    expect(evaluationSet(stored, reviews)).toHaveLength(2);

    const out = exportDataset('openai-sft', curatedItems(feedback, reviews, stored), { includeSources: true, validationShare: 0 });
    const lines = parseJsonl('openai-sft', out.train);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.metadata).toMatchObject({ synthetic: true, template: 'synthetic-cloze', template_version: 1, engine: 'extractive', action: 'ask' });
      expect(line.messages[1]!.content).toMatch(/^Sources:[\s\S]*Question: Fill in the blank: /);
      expect(line.messages.at(-1)!.content).toMatch(/\[1\]$/);
    }
    // Round trip: the parsed lines are the exported ones.
    expect(lines.map((l) => JSON.stringify(l)).join('\n') + '\n').toBe(out.train);
  });

  it('an edited pair exports the edited answer as preferred', async () => {
    const { pairs } = await generateSynthetic(await sourcesWithoutPairs(1, db), null, 1000);
    await saveNewPairs(pairs, db);
    await recordDecision({ subjectKind: 'synthetic', subjectId: pairs[1]!.id, decision: 'edit', editedOutput: 'Twenty-five times [1].', deviceId: 'dev_a' }, db);
    const out = exportDataset('trl-preference', curatedItems([], await db.reviews.toArray(), await db.syntheticPairs.toArray()), { includeSources: false, validationShare: 0 });
    const [line] = parseJsonl('trl-preference', out.train);
    expect([line!.chosen[0]!.content, line!.rejected[0]!.content, line!.metadata.synthetic, line!.metadata.sources]).toEqual(['Twenty-five times [1].', '25 [1]', true, undefined]);
    expect(line!.prompt[1]!.content).toContain('[source 1 omitted]');
  });
});
