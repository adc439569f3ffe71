import { describe, expect, test } from 'vitest';
import { putRowsIn, readStoreIn } from './support/database';
import { useSuite } from './support/suite';
import { click, openSurface, tid } from './support/surfaces';
import { waitFor } from './support/wait';

// Issue 11: the side panel's review queue, driven by the keyboard; each decision is a 'review' record in
// the extension's database, change-logged for sync.
describe('review queue', () => {
  const s = useSuite();

  /** The side panel, once it has opened the extension's database. */
  async function openPanel() {
    const panel = await openSurface(s.eb, 'sidepanel.html');
    await panel.waitForSelector(tid('search-input'));
    return panel;
  }

  test('a person clears the queue with a, r and e; the decisions are records with a change each', async () => {
    const panel = await openPanel();
    // Three answers the assistant recorded (the database is the extension's own, opened by the panel);
    // the second carries the serving pipeline's outcome: its citations failed verification.
    const steps = ['plan', 'retrieve', 'aggregate', 'generate', 'verify'].map((step, i) => ({ step, at: i * 10, ms: 10, detail: step }));
    await putRowsIn(
      panel,
      'feedback',
      [1, 2, 3].map((n) => ({
        id: `fb_e2e_000${n}`, subjectKind: 'answer', subjectId: `msg_e2e_000${n}`, conversationId: null, action: 'ask', option: '', rating: null, correction: '',
        prompt: [{ role: 'user', content: `Question ${n}?` }], output: `Answer ${n}`, engine: 'extractive', model: '', template: { id: 'ask', version: 1 },
        sources: [], pageUrl: null, createdAt: 1_764_000_000_000 + n, updatedAt: 1_764_000_000_000 + n,
        ...(n === 2 ? { serving: { steps, retrievals: [], verification: { checked: 2, supported: 1, unsupported: 1, uncited: 0, repaired: false } } } : {}),
      })),
    );

    await click(panel, 'review-tab-button');
    await panel.waitForSelector(`${tid('review-count')}[data-count="3"]`);
    await panel.focus(tid('review-tab'));
    expect(await panel.$(tid('review-serving'))).toBeNull();
    await panel.keyboard.press('a');
    await panel.waitForSelector(`${tid('review-count')}[data-count="2"]`);
    // The answer whose feedback carries the pipeline's outcome says which stage let it down.
    expect(await panel.$eval(tid('review-serving'), (el) => el.getAttribute('data-stage'))).toBe('verify');
    await panel.keyboard.press('r');
    await panel.waitForSelector(`${tid('review-count')}[data-count="1"]`);
    await panel.keyboard.press('e');
    await panel.waitForSelector(tid('review-edit-text'), { visible: true });
    await panel.evaluate((sel) => {
      const box = document.querySelector(sel) as HTMLTextAreaElement;
      box.value = 'A better answer';
      box.dispatchEvent(new Event('input'));
    }, tid('review-edit-text'));
    await click(panel, 'review-edit-save');
    await panel.waitForSelector(tid('review-empty'));

    const reviews = await waitFor(
      () => readStoreIn<{ subjectId: string; decision: string; editedOutput: string }>(panel, 'reviews'),
      (rows) => rows.length === 3,
      { message: 'three review records' },
    );
    expect(reviews.map((r) => [r.subjectId, r.decision, r.editedOutput]).sort()).toEqual([
      ['fb_e2e_0001', 'edit', 'A better answer'],
      ['fb_e2e_0002', 'reject', ''],
      ['fb_e2e_0003', 'accept', ''],
    ]);
    const changes = await readStoreIn<{ table: string }>(panel, 'changes');
    expect(changes.filter((c) => c.table === 'reviews')).toHaveLength(3);
    await panel.close();
  });

  test('generated questions from a highlight are reviewed in the same queue and measure search', async () => {
    const panel = await openPanel();
    const text = 'Lobsters grow by molting their hard shells several times a year. A young lobster may molt 25 times before its first birthday.';
    await putRowsIn(panel, 'highlights', [
      {
        id: 'hl_e2e_molting_01', url: 'https://example.com/lobsters', site: 'example.com', pageTitle: 'Lobster life', text, color: 'yellow', note: '',
        selectors: [{ type: 'TextQuoteSelector', exact: text }], anchorStatus: 'anchored', createdAt: 1_764_000_000_000, updatedAt: 1_764_000_000_000,
      },
    ]);

    await click(panel, 'review-tab-button');
    await panel.waitForSelector(tid('review-tab'));
    await panel.select(tid('review-filter-origin'), 'synthetic');
    await click(panel, 'review-generate');
    await panel.waitForSelector(tid('review-generated'));
    // Without a generating engine here the extractive one writes cloze questions: one per long sentence.
    await panel.waitForSelector(`${tid('review-count')}[data-count="2"]`);
    expect(await panel.$eval(tid('review-item'), (el) => (el as HTMLElement).dataset.kind)).toBe('synthetic');
    await panel.focus(tid('review-tab'));
    await panel.keyboard.press('a');
    await panel.waitForSelector(`${tid('review-count')}[data-count="1"]`);
    await panel.keyboard.press('a');
    await panel.waitForSelector(tid('review-empty'));

    const pairs = await readStoreIn<{ synthetic: boolean; generator: string; template: { id: string } }>(panel, 'syntheticPairs');
    expect(pairs.map((p) => [p.synthetic, p.generator, p.template.id])).toEqual([
      [true, 'cloze', 'synthetic-cloze'],
      [true, 'cloze', 'synthetic-cloze'],
    ]);
    const changes = await readStoreIn<{ table: string }>(panel, 'changes');
    expect(changes.filter((c) => c.table === 'syntheticPairs')).toHaveLength(2);

    await panel.$eval(`${tid('eval-section')} summary`, (el) => (el as HTMLElement).click());
    await click(panel, 'eval-run');
    await panel.waitForSelector(`${tid('eval-panel')}[data-runs="1"]`, { timeout: 60_000 });
    expect(await panel.$eval(tid('eval-latest'), (el) => el.textContent)).toContain('2 questions');
    const runs = await readStoreIn<{ questions: number; scores: { ranker: string }[] }>(panel, 'evalRuns');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.scores.map((x) => x.ranker)).toContain('keyword');
    await panel.close();
  });
});
