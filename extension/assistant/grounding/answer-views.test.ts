// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { CitedSource } from '@shared/schemas/assistant';
import type { AnswerTrace, Verification } from '@shared/serving/types';
import { useMountedApp } from '@/test-support/mounted-app';
import ChatMessageView from '@/assistant/chat/ChatMessageView.vue';
import SourceList from './SourceList.vue';

const ANSWER = 'Octopus arms hold most neurons [2]. Cuttlefish hunt shrimp with two long tentacles [1]. Octopuses learn by watching [2].';
const SOURCES: CitedSource[] = [
  { n: 1, kind: 'highlight', sourceId: 'h1', url: 'http://127.0.0.1:1/reef', title: 'Reef notes', text: 'Cuttlefish hunt shrimp with two long feeding tentacles.', highlightId: 'h1' },
  { n: 2, kind: 'web', sourceId: 'http://127.0.0.1:2/pages/article', url: 'http://127.0.0.1:2/pages/article', title: 'Octopus cognition', text: 'Two thirds of an octopus’s neurons sit in its arms.' },
];
const claim = (sentence: string, cites: number[], unsupported: number[]) => {
  const start = ANSWER.indexOf(sentence);
  return { start, end: start + sentence.length, cites, unsupported, score: unsupported.length ? 0.1 : 0.8, method: 'lexical' as const };
};
const VERIFICATION: Verification = {
  claims: [claim('Octopus arms hold most neurons [2].', [2], []), claim('Cuttlefish hunt shrimp with two long tentacles [1].', [1], []), claim('Octopuses learn by watching [2].', [2], [2])],
  checked: 3,
  supported: 2,
  unsupported: 1,
  uncited: 0,
  repaired: false,
};
const TRACE: AnswerTrace = {
  scope: 'everything',
  plan: { origins: ['memory', 'web'], queries: ['octopus neurons'], by: 'rules', reason: 'memory and the web' },
  steps: [
    { step: 'plan', at: 0, ms: 1, detail: 'rules' },
    { step: 'retrieve', at: 1, ms: 420, detail: '2 sources' },
    { step: 'generate', at: 430, ms: 1500, detail: 'worker' },
  ],
  retrievals: [
    { origin: 'memory', label: 'hybrid search of your memory', status: 'ok', count: 3, ms: 40 },
    { origin: 'web', label: 'web search (searxng) through your worker', status: 'timeout', count: 0, ms: 12000, detail: 'no answer in 12 s' },
  ],
  passages: { retrieved: 7, unique: 5, used: 2 },
  engine: 'worker',
  model: 'test-double',
  template: { id: 'chat-everything', version: 2 },
  totalMs: 1950,
};

const { mount } = useMountedApp();

const q = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const all = (root: HTMLElement, id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

describe('a verified answer', () => {
  it('flags the unsupported citation at its exact [n], and says how many claims were checked', async () => {
    const root = await mount(ChatMessageView, { id: 'm1', role: 'assistant', content: ANSWER, engine: 'worker', sources: SOURCES, verification: VERIFICATION, trace: TRACE });
    const cites = all(root, 'assistant-citation');
    expect(cites.map((c) => [c.textContent, c.dataset.supported])).toEqual([
      ['2', 'true'],
      ['1', 'true'],
      ['2', 'false'],
    ]);
    expect(cites[2]!.title).toBe('the cited passage does not support this sentence');
    expect(cites[0]!.title).toBe('');
    expect(q(root, 'assistant-verification')!.textContent).toBe('3 of 3 claims checked against their sources: 1 citation not supported by the cited passage.');
    expect(q(root, 'assistant-verification')!.dataset.unsupported).toBe('1');
  });

  it('shows the trace behind the toggle: plan, each source with its outcome and time, passages, engine, template, stages', async () => {
    const root = await mount(ChatMessageView, { id: 'm1', role: 'assistant', content: ANSWER, engine: 'worker', sources: SOURCES, verification: VERIFICATION, trace: TRACE });
    expect(q(root, 'assistant-trace')).toBeNull();
    q(root, 'assistant-trace-toggle')!.click();
    await nextTick();
    const trace = q(root, 'assistant-trace')!;
    expect(q(root, 'assistant-trace-toggle')!.getAttribute('aria-expanded')).toBe('true');
    expect(q(trace, 'assistant-trace-plan')!.textContent).toMatch(/search your memory, the web\s+for “octopus neurons”/);
    expect(all(trace, 'assistant-trace-source').map((r) => [r.dataset.origin, r.dataset.status])).toEqual([
      ['memory', 'ok'],
      ['web', 'timeout'],
    ]);
    expect(all(trace, 'assistant-trace-source')[1]!.textContent).toMatch(/timed out .*12\.0 s/);
    expect(q(trace, 'assistant-trace-passages')!.textContent).toMatch(/7 retrieved, 5 unique, 2 used/);
    expect(q(trace, 'assistant-trace-engine')!.textContent).toMatch(/worker \(test-double\) · template chat-everything v2/);
    expect(q(trace, 'assistant-trace-steps')!.textContent).toMatch(/plan 1 ms → retrieve 420 ms → generate 1\.5 s\s+· total 1\.9 s/);
  });

  it('an answer still streaming shows no verdicts and no trace', async () => {
    const root = await mount(ChatMessageView, { id: 'm1', role: 'assistant', content: ANSWER, sources: SOURCES, verification: VERIFICATION, trace: TRACE, streaming: true });
    expect(all(root, 'assistant-citation').every((c) => c.dataset.supported === undefined)).toBe(true);
    expect(q(root, 'assistant-verification')).toBeNull();
    expect(q(root, 'assistant-trace-toggle')).toBeNull();
  });
});

describe('source list', () => {
  it('lists each page once with every number citing it; the highlight stands for its page', async () => {
    const pageOfHighlight = { n: 3, kind: 'page', sourceId: 'http://127.0.0.1:1/reef', url: 'http://127.0.0.1:1/reef', title: 'Reef', text: '' };
    const opened: number[] = [];
    const root = await mount(SourceList, { sources: [pageOfHighlight, ...SOURCES], testid: 'assistant', onOpen: (s: CitedSource) => opened.push(s.n) });
    const rows = all(root, 'assistant-source');
    expect(rows.map((r) => [r.dataset.n, r.dataset.kind])).toEqual([
      ['1', 'highlight'],
      ['2', 'web'],
    ]);
    expect(root.textContent).toContain('[3][1]');
    rows[0]!.click();
    expect(opened).toEqual([1]);
  });

  it('keeps the side panel’s own test ids', async () => {
    const root = await mount(SourceList, { sources: SOURCES, testid: 'ask' });
    expect(q(root, 'ask-sources')).not.toBeNull();
    expect(all(root, 'ask-source').map((r) => r.dataset.id)).toEqual(['h1', 'http://127.0.0.1:2/pages/article']);
  });
});
