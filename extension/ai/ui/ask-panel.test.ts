// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { runPipeline } from '@shared/serving/pipeline';
import { changesSince } from '@/db/change-log';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { AskSource } from '@/ai/engines/types';
import type { ChatDeps } from '@/assistant/chat/chat-answer';
import { getFeedback } from '@/assistant/feedback/feedback-repository';
import { useMountedApp } from '@/test-support/mounted-app';
import AskPanel from './AskPanel.vue';

const memory: AskSource[] = [
  { n: 1, id: 'page:https://a.example/#0', kind: 'page', sourceId: 'https://a.example/', url: 'https://a.example/', title: 'Tides', site: 'a.example', text: 'The tide comes in twice a day because of the moon.' },
];
const deps: ChatDeps = {
  engines: [new ExtractiveEngine()],
  preferences: async () => ({ privacy: 'local-only', engine: 'auto' }),
  retrieveMemory: async () => memory,
  pageContext: async () => null,
  webAccess: async () => ({ search: null, reason: 'no worker is paired' }),
  runPipeline,
};

const { db, mount } = useMountedApp();

const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
async function until<T>(read: () => T | null | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the side panel\'s Ask', () => {
  it('records its answer with the pipeline\'s outcome, and its thumbs rate that record', async () => {
    await mount(AskPanel, { deps });
    const input = q('ask-input') as HTMLInputElement;
    input.value = 'why does the tide come in?';
    input.dispatchEvent(new Event('input'));
    q('ask-submit')!.closest('form')!.dispatchEvent(new Event('submit'));

    const box = await until(() => q('ask-feedback'), 'the answer\'s thumbs');
    const id = box.dataset.feedbackId!;
    const record = await getFeedback(id);
    expect(record).toMatchObject({ subjectKind: 'answer', action: 'ask', option: 'memory', rating: null, engine: 'extractive', template: { id: 'grounded-memory' } });
    // The output as shown: the extractive answer quoting the saved passage.
    expect(record!.output).toContain('twice a day');
    expect(q('ask-answer')!.textContent!.replace(/\s+/g, ' ')).toContain('twice a day');
    expect(record!.prompt.at(-1)!.content).toContain('why does the tide come in?');
    expect(record!.sources.map((s) => s.url)).toEqual(['https://a.example/']);
    expect(record!.serving!.steps.map((s) => s.step)).toEqual(['plan', 'retrieve', 'aggregate', 'generate', 'verify']);
    expect(record!.serving!.retrievals).toMatchObject([{ origin: 'memory', status: 'ok' }]);
    // Change-logged like the chat's records, so it syncs and reaches the review queue.
    expect((await changesSince(0, 100, db())).map((c) => `${c.table}:${c.key}`)).toContain(`feedback:${id}`);

    await until(() => q('feedback-up'), 'the thumbs');
    q('feedback-up')!.click();
    await until(() => q('feedback')?.dataset.rating === 'up' || null, 'the rating shown');
    expect((await getFeedback(id))!.rating).toBe('up');

    // Closing the answer takes its thumbs away; the record stays.
    q('ask-close')!.click();
    await nextTick();
    expect(q('ask-feedback')).toBeNull();
    expect(await getFeedback(id)).toBeDefined();
  });
});
