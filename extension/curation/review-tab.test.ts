// @vitest-environment happy-dom
import { createApp, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Feedback } from '@shared/schemas/assistant';
import { parseJsonl } from '@shared/datasets/formats';
import { changesSince } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { saveFeedback } from '@/assistant/feedback/feedback-repository';
import { recordDecision } from './review-repository';
import { buildQueue, DEFAULT_FILTERS } from './review-queue';
import ReviewTab from './ui/ReviewTab.vue';

function fb(n: number, patch: Partial<Feedback> = {}) {
  return {
    id: `fb_review_${String(n).padStart(4, '0')}`,
    subjectKind: 'answer' as const,
    subjectId: `msg_review_${String(n).padStart(4, '0')}`,
    conversationId: null,
    action: 'ask' as const,
    option: '',
    prompt: [
      { role: 'system' as const, content: 'Answer from the sources.' },
      { role: 'user' as const, content: `Question ${n}: why do cats purr?` },
    ],
    output: `Answer ${n}`,
    engine: n % 2 ? 'extractive' : 'openai-compatible',
    model: '',
    template: { id: 'ask', version: n % 2 ? 1 : 2 },
    sources: [],
    pageUrl: null,
    ...patch,
  };
}

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await dropTestDb(db);
});

async function seed(count: number) {
  for (let i = 1; i <= count; i++) {
    await saveFeedback(fb(i), db);
    await new Promise((r) => setTimeout(r, 2)); // distinct createdAt: the queue is newest first
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 10));
};
const flushPromises = settle;

let app: App | null = null;
function mount(props: Record<string, unknown>) {
  const host = document.createElement('div');
  document.body.appendChild(host);
  app = createApp(ReviewTab, props);
  app.mount(host);
  return host;
}
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.textContent = '';
});
const $ = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

const key = async (el: Element, k: string) => {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  await flushPromises();
  await new Promise((r) => setTimeout(r, 20));
  await flushPromises();
};

describe('review queue', () => {
  it('filters by status, engine, template version, action, rating and date', async () => {
    await seed(4);
    await recordDecision({ subjectKind: 'feedback', subjectId: 'fb_review_0001', decision: 'accept', deviceId: 'dev_a' }, db);
    const feedback = await db.feedback.toArray();
    const reviews = await db.reviews.toArray();
    const ids = (f: Partial<typeof DEFAULT_FILTERS>) => buildQueue(feedback, reviews, { ...DEFAULT_FILTERS, ...f }).map((i) => i.feedback.id.slice(-1));
    expect(ids({})).toEqual(['4', '3', '2']);
    expect(ids({ status: 'accept' })).toEqual(['1']);
    expect(ids({ status: 'all', engine: 'extractive' })).toEqual(['3', '1']);
    expect(ids({ status: 'all', template: 'ask@2' })).toEqual(['4', '2']);
    expect(ids({ status: 'all', action: 'improve' })).toEqual([]);
    expect(ids({ status: 'all', rating: 'none' })).toEqual(['4', '3', '2', '1']);
    expect(ids({ status: 'all', rating: 'up' })).toEqual([]);
    expect(ids({ status: 'all', from: '2999-01-01' })).toEqual([]);
  });

  it('is driven by the keyboard: j/k move, a accepts, r rejects, e edits; each decision is a change-logged record', async () => {
    await seed(3);
    mount({ db, deviceId: async () => 'dev_laptop' });
    await settle();
    const root = $('review-tab')!;
    expect($('review-count')!.dataset.count).toBe('3');
    expect($('review-item')!.dataset.id).toBe('fb_review_0003');

    await key(root, 'j');
    expect($('review-item')!.dataset.id).toBe('fb_review_0002');
    await key(root, 'k');
    await key(root, 'a'); // accept #3
    expect($('review-item')!.dataset.id).toBe('fb_review_0002');
    await key(root, 'r'); // reject #2
    await key(root, 'e'); // edit #1
    const editor = $('review-edit-text') as HTMLTextAreaElement;
    expect(editor.value).toBe('Answer 1');
    editor.value = 'A better answer 1';
    editor.dispatchEvent(new Event('input'));
    editor.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    await settle();
    expect($('review-empty')).not.toBeNull();

    const reviews = await db.reviews.orderBy('id').toArray();
    expect(reviews.map((r) => [r.subjectId, r.decision, r.editedOutput, r.deviceId])).toEqual([
      ['fb_review_0001', 'edit', 'A better answer 1', 'dev_laptop'],
      ['fb_review_0002', 'reject', '', 'dev_laptop'],
      ['fb_review_0003', 'accept', '', 'dev_laptop'],
    ]);
    const logged = (await changesSince(0, 100, db)).filter((c) => c.table === 'reviews');
    expect(logged.map((c) => c.key).sort()).toEqual(['rev_fb_review_0001', 'rev_fb_review_0002', 'rev_fb_review_0003']);
  });

  it('shows which serving stage let an answer down, from the outcome its feedback carries', async () => {
    const step = (name: 'plan' | 'retrieve' | 'aggregate' | 'generate' | 'verify', ms: number) => ({ step: name, at: 0, ms, detail: name });
    await saveFeedback(fb(1, { serving: { steps: [step('plan', 1), step('retrieve', 40), step('aggregate', 2)], retrievals: [], verification: null, cutAt: 'generate' } }), db);
    await new Promise((r) => setTimeout(r, 2));
    const verified = { steps: [step('plan', 1), step('retrieve', 40), step('aggregate', 2), step('generate', 300), step('verify', 9)], retrievals: [], verification: { checked: 3, supported: 2, unsupported: 1, uncited: 0, repaired: false } };
    await saveFeedback(fb(2, { serving: verified }), db);
    await new Promise((r) => setTimeout(r, 2));
    await saveFeedback(fb(3), db);
    mount({ db, deviceId: async () => 'dev_laptop' });
    await settle();
    // An older record without the outcome shows none.
    expect($('review-item')!.dataset.id).toBe('fb_review_0003');
    expect($('review-serving')).toBeNull();
    await key($('review-tab')!, 'j');
    expect($('review-serving')!.dataset.stage).toBe('verify');
    expect($('review-serving')!.textContent).toMatch(/1 of 3 cited sentences not supported.*2 of 3 claims supported · plan 1 ms → retrieve 40 ms/s);
    await key($('review-tab')!, 'j');
    expect($('review-serving')!.dataset.stage).toBe('generate');
    expect($('review-serving')!.textContent).toMatch(/stopped during generate/);
  });

  it('keeps who/when/what of earlier decisions, tags them, and exports accepted items as JSONL', async () => {
    await seed(2);
    await recordDecision({ subjectKind: 'feedback', subjectId: 'fb_review_0001', decision: 'reject', deviceId: 'dev_a' }, db, 1000);
    const changed = await recordDecision({ subjectKind: 'feedback', subjectId: 'fb_review_0001', decision: 'edit', editedOutput: 'Fixed', tags: ['cats'], deviceId: 'dev_b' }, db, 2000);
    expect(changed).toMatchObject({ decision: 'edit', deviceId: 'dev_b', decidedAt: 2000, tags: ['cats'], history: [{ at: 1000, deviceId: 'dev_a', decision: 'reject', tags: [], editedOutput: '' }] });
    await expect(recordDecision({ subjectKind: 'feedback', subjectId: 'fb_review_0002', decision: 'edit', editedOutput: ' ', deviceId: 'dev_a' }, db)).rejects.toThrow('edited text');

    const files: { name: string; text: string }[] = [];
    mount({ db, onDownload: (file: { name: string; text: string }) => files.push(file) });
    await settle();
    const format = $('review-export-format') as HTMLSelectElement;
    format.value = 'trl-preference';
    format.dispatchEvent(new Event('change'));
    await settle();
    $('review-export')!.click();
    await settle();
    expect($('review-export-result')!.textContent).toMatch(/^\d train · \d validation lines$/);
    expect(files.map((f) => f.name)).toEqual(['trl-preference.train.jsonl', 'trl-preference.validation.jsonl']);
    const lines = files.flatMap((f) => parseJsonl('trl-preference', f.text));
    expect(lines.map((l) => [l.chosen[0]!.content, l.rejected[0]!.content, l.metadata.tags])).toEqual([['Fixed', 'Answer 1', ['cats']]]);
  });
});

describe('export from reviewed records', () => {
  it('round-trips the reviewed feedback of the database through the TRL preference format', async () => {
    await seed(2);
    await recordDecision({ subjectKind: 'feedback', subjectId: 'fb_review_0002', decision: 'edit', editedOutput: 'Because they are content.', deviceId: 'dev_a' }, db);
    const { exportDataset } = await import('@shared/datasets/export');
    const { curatedItems } = await import('./review-queue');
    const out = exportDataset('trl-preference', curatedItems(await db.feedback.toArray(), await db.reviews.toArray()));
    const lines = [...parseJsonl('trl-preference', out.train), ...parseJsonl('trl-preference', out.validation)];
    expect(lines.map((l) => [l.chosen[0]!.content, l.rejected[0]!.content, l.metadata.template_version, l.metadata.engine])).toEqual([['Because they are content.', 'Answer 2', 2, 'openai-compatible']]);
  });
});
