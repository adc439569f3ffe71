// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunnerEvent } from '@shared/schemas/assistant-page';
import { AnswerBubble, type BubbleDeps } from './answer-bubble';
import type { PortLike } from './action-client';
import { captureEditable } from './editable-target';

class FakePort implements PortLike {
  posted: unknown[] = [];
  disconnected = false;
  private onMsg: ((m: unknown) => void)[] = [];
  private onDisc: (() => void)[] = [];
  onMessage = { addListener: (l: (m: unknown) => void) => void this.onMsg.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.onDisc.push(l) };
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  disconnect() {
    this.disconnected = true;
  }
  emit(event: RunnerEvent) {
    for (const l of this.onMsg) l(event);
  }
}

const life = {
  addEventListener: (t: EventTarget, type: string, l: (e: Event) => void, o?: AddEventListenerOptions) => t.addEventListener(type, l, o),
  setTimeout: (h: () => void, ms: number) => setTimeout(h, ms) as unknown as number,
};
const done = (fields: Partial<Extract<RunnerEvent, { type: 'done' }>> = {}): RunnerEvent => ({ type: 'done', engine: 'worker', template: { id: 'write.improve', version: 1 }, feedbackId: 'fb_00000042', rewrite: true, ...fields });
const q = (b: AnswerBubble, id: string) => b.root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const click = (b: AnswerBubble, id: string) => q(b, id)!.click();

describe('answer bubble', () => {
  let ports: FakePort[];
  let rated: unknown[];
  let deps: BubbleDeps;
  beforeEach(() => {
    document.body.innerHTML = '<p id="para">Some page text to ask about.</p>';
    ports = [];
    rated = [];
    deps = {
      connect: () => {
        const p = new FakePort();
        ports.push(p);
        return p;
      },
      rate: async (id, patch) => void rated.push({ id, ...patch }),
      openPanel: async () => undefined,
    };
  });

  const subject = (text = 'Some page text', editable: ReturnType<typeof captureEditable> = null) => ({ text, target: editable ? ('editable' as const) : ('selection' as const), anchor: () => null, editable, pageUrl: 'https://example.com/', pageTitle: 'Example' });

  it('lives in a closed shadow root: the page sees only the host', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Explain');
    const host = document.querySelector('calico-bubble') as HTMLElement;
    expect(host).not.toBeNull();
    expect(host.shadowRoot).toBeNull();
    expect(document.querySelector('[data-testid="answer-bubble"]')).toBeNull();
    expect(q(b, 'answer-bubble')!.hidden).toBe(false);
  });

  it('sends the request, streams tokens, and ends with the result actions and feedback', async () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Explain');
    b.start({ action: 'explain', option: '' });
    expect(ports[0]!.posted[0]).toMatchObject({ action: 'explain', text: 'Some page text', target: 'selection', pageUrl: 'https://example.com/' });
    ports[0]!.emit({ type: 'engine', engine: 'worker', label: 'Your worker', reason: 'the best engine available' });
    ports[0]!.emit({ type: 'token', text: 'It means ' });
    ports[0]!.emit({ type: 'token', text: '**this**.' });
    await new Promise((r) => setTimeout(r, 100));
    expect(q(b, 'bubble-answer')!.textContent).toContain('It means this.');
    expect(q(b, 'answer-bubble')!.dataset.state).toBe('streaming');
    ports[0]!.emit(done({ rewrite: false }));
    expect(q(b, 'answer-bubble')!.dataset.state).toBe('done');
    expect(q(b, 'answer-bubble')!.dataset.engine).toBe('worker');
    expect(q(b, 'bubble-answer')!.querySelector('strong')!.textContent).toBe('this');
    expect(q(b, 'rewrite-diff')).toBeNull();
    expect(q(b, 'rewrite-replace')).toBeNull(); // not a field
    click(b, 'feedback-up');
    await new Promise((r) => setTimeout(r, 0));
    expect(rated).toEqual([{ id: 'fb_00000042', rating: 'up' }]);
    click(b, 'feedback-correct');
    (q(b, 'feedback-correction') as HTMLTextAreaElement).value = 'It means that.';
    click(b, 'feedback-correction-save');
    await new Promise((r) => setTimeout(r, 0));
    expect(rated.at(-1)).toEqual({ id: 'fb_00000042', correction: 'It means that.' });
  });

  it('renders hostile output inert', async () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Explain');
    b.start({ action: 'explain', option: '' });
    ports[0]!.emit({ type: 'sources', sources: [{ n: 1, kind: 'page', sourceId: 'u', url: 'https://example.com/a', title: 'A', text: '' }] });
    ports[0]!.emit({ type: 'token', text: '<script>window.pwned=1</script> <img src=x onerror="window.pwned=2"> [click](javascript:alert(1)) <a href="javascript:alert(2)">x</a> ![t](https://tracker.example/p.png) [ok](https://example.org/) see [1] [7]' });
    ports[0]!.emit(done({ rewrite: false }));
    const answer = q(b, 'bubble-answer')!;
    expect(answer.querySelector('script, img, iframe, [onerror]')).toBeNull();
    const hrefs = [...answer.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs.every((h) => h === null || h.startsWith('https://'))).toBe(true);
    expect(hrefs).toContain('https://example.org/');
    expect(answer.querySelector('a[href="https://example.org/"]')!.getAttribute('rel')).toContain('noopener');
    expect(answer.textContent).toContain('<script>');
    // [1] exists and is a citation; [7] has no source and stays text.
    expect([...answer.querySelectorAll('[data-testid="bubble-citation"]')].map((c) => (c as HTMLElement).dataset.n)).toEqual(['1']);
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('a megabyte answer is shown as plain text', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Explain');
    b.start({ action: 'explain', option: '' });
    for (let i = 0; i < 10; i++) ports[0]!.emit({ type: 'token', text: (i === 0 ? '# big\n<script>x</script>' : '').padEnd(100_000, 'a') });
    ports[0]!.emit(done({ rewrite: false }));
    expect(q(b, 'bubble-answer')!.dataset.format).toBe('text');
    expect(q(b, 'bubble-answer')!.textContent!.length).toBe(1_000_000);
    expect(q(b, 'bubble-open-panel')).not.toBeNull();
  });

  it('an Ask through the pipeline strikes through the unsupported citation, says how many claims were checked, and shows how it was answered', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Ask');
    b.start({ action: 'ask', option: '', question: 'Why?' });
    const answer = 'Tides follow the moon [1]. Tides are caused by wind [1].';
    ports[0]!.emit({ type: 'sources', sources: [{ n: 1, kind: 'highlight', sourceId: 'h', url: 'https://example.com/a', title: 'Tides', text: '' }] });
    ports[0]!.emit({ type: 'token', text: answer });
    const verification = {
      claims: [
        { start: 0, end: 26, cites: [1], unsupported: [], score: 0.9, method: 'embedding' as const },
        { start: 27, end: answer.length, cites: [1], unsupported: [1], score: 0.1, method: 'embedding' as const },
      ],
      checked: 2,
      supported: 1,
      unsupported: 1,
      uncited: 0,
      repaired: false,
    };
    const trace = {
      scope: 'memory' as const,
      plan: { origins: ['memory' as const, 'page' as const], queries: ['Why?'], by: 'rules' as const, reason: 'Searching your memory.' },
      steps: [{ step: 'plan' as const, at: 0, ms: 1, detail: '' }, { step: 'verify' as const, at: 5, ms: 7, detail: '' }],
      retrievals: [{ origin: 'memory' as const, label: 'hybrid search', status: 'ok' as const, count: 1, ms: 12 }],
      passages: { retrieved: 2, unique: 2, used: 1 },
      engine: 'built-in',
      model: '',
      template: { id: 'grounded-memory', version: 1 },
      totalMs: 30,
    };
    ports[0]!.emit(done({ rewrite: false, template: trace.template, verification, trace }));
    const cites = [...q(b, 'bubble-answer')!.querySelectorAll<HTMLElement>('[data-testid="bubble-citation"]')];
    expect(cites.map((c) => c.dataset.supported)).toEqual(['true', 'false']);
    expect(q(b, 'bubble-verification')!.dataset.unsupported).toBe('1');
    expect(q(b, 'bubble-verification')!.textContent).toBe('2 of 2 claims checked against their sources: 1 citation not supported by the cited passage.');
    expect(q(b, 'bubble-trace-source')!.dataset.status).toBe('ok');
    expect(q(b, 'bubble-trace-steps')!.textContent).toBe('plan 1 ms → verify 7 ms');
  });

  it('shows whether the web was searched and labels web sources as web', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject('the moon drives the tides'), 'References');
    b.start({ action: 'find-references', option: '' });
    ports[0]!.emit({ type: 'sources', sources: [
      { n: 1, kind: 'highlight', sourceId: 'hl_00000001', url: 'https://a.example/', title: 'Mine', text: 'x' },
      { n: 2, kind: 'web', sourceId: 'https://w.example/', url: 'https://w.example/', title: 'Web: Theirs', text: 'y' },
    ] });
    ports[0]!.emit({ type: 'web', status: 'no-provider', message: 'The web was not searched: your worker has no web search provider configured.' });
    ports[0]!.emit({ type: 'token', text: 'Related [1][2].' });
    ports[0]!.emit(done({ rewrite: false }));
    expect(q(b, 'bubble-web')!.dataset.status).toBe('no-provider');
    expect(q(b, 'bubble-web')!.textContent).toContain('no web search provider');
    const items = [...b.root.querySelectorAll<HTMLElement>('[data-testid="bubble-source"]')];
    expect(items.map((i) => [i.dataset.kind, Boolean(i.querySelector('[data-testid="bubble-source-web"]'))])).toEqual([['highlight', false], ['web', true]]);
  });

  it('"Open in side panel" hands over every answer of the conversation by its feedback record, asking nothing again', async () => {
    const handed: unknown[] = [];
    const b = new AnswerBubble(document, life, { ...deps, openPanel: async (h) => void handed.push(h) });
    b.open(subject('The tide rose early.'), 'Explain');
    b.start({ action: 'explain', option: '' });
    ports[0]!.emit({ type: 'token', text: 'short' });
    ports[0]!.emit(done({ rewrite: false, feedbackId: 'fb_m0000000001' }));
    b.start({ action: 'ask', option: '', question: 'And why?' });
    ports[1]!.emit({ type: 'token', text: 'long '.repeat(400) });
    ports[1]!.emit(done({ rewrite: false, feedbackId: 'fb_m0000000002' }));
    const buttons = [...b.root.querySelectorAll('[data-testid="bubble-open-panel"]')] as HTMLButtonElement[];
    expect(buttons).toHaveLength(1); // only the long answer offers it
    buttons[0]!.click();
    await Promise.resolve();
    expect(handed).toEqual([
      { turns: [{ question: 'Explain: “The tide rose early.”', feedbackId: 'fb_m0000000001' }, { question: 'And why?', feedbackId: 'fb_m0000000002' }] },
    ]);
    expect(ports).toHaveLength(2); // no new run
  });

  it('Stop closes the Port and keeps what streamed', async () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Explain');
    b.start({ action: 'explain', option: '' });
    ports[0]!.emit({ type: 'token', text: 'partial answer' });
    expect(q(b, 'bubble-stop')!.hidden).toBe(false);
    click(b, 'bubble-stop');
    expect(ports[0]!.disconnected).toBe(true);
    expect(q(b, 'answer-bubble')!.dataset.state).toBe('stopped');
    ports[0]!.emit({ type: 'token', text: ' more' }); // late tokens are ignored
    // The answer renders on a 60 ms timer: wait for it (a loaded machine can be slow), then for any late token.
    for (let i = 0; i < 100 && !q(b, 'bubble-answer')!.textContent!.trim(); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(q(b, 'bubble-answer')!.textContent!.trim()).toBe('partial answer');
  });

  it('Escape closes the bubble and stops its run', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Explain');
    b.start({ action: 'explain', option: '' });
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(b.isOpen).toBe(false);
    expect(document.querySelector('calico-bubble')).toBeNull();
    expect(ports[0]!.disconnected).toBe(true);
  });

  it('keys typed in the bubble do not reach the page', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Ask');
    const pageKeys = vi.fn();
    document.addEventListener('keydown', pageKeys);
    q(b, 'bubble-question')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, composed: true }));
    expect(pageKeys).not.toHaveBeenCalled();
  });

  it('a follow-up question carries the conversation so far', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Ask');
    (q(b, 'bubble-question') as HTMLInputElement).value = 'What is it?';
    q(b, 'bubble-ask')!.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    ports[0]!.emit({ type: 'token', text: 'A thing.' });
    ports[0]!.emit(done({ rewrite: false }));
    (q(b, 'bubble-question') as HTMLInputElement).value = 'Why?';
    q(b, 'bubble-ask')!.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(ports[1]!.posted[0]).toMatchObject({ action: 'ask', question: 'Why?', history: [{ role: 'user', content: 'What is it?' }, { role: 'assistant', content: 'A thing.' }] });
  });

  it('in a textarea: diff, Replace, Undo restores it exactly, Insert below', () => {
    document.body.innerHTML = '<textarea id="t">Their going too the store.</textarea>';
    const area = document.getElementById('t') as HTMLTextAreaElement;
    area.focus();
    const editable = captureEditable(document)!;
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(editable.text, editable), 'Improve writing');
    b.start({ action: 'improve', option: '' });
    ports[0]!.emit({ type: 'token', text: 'They are going to the store.' });
    ports[0]!.emit(done());
    const diff = q(b, 'rewrite-diff')!;
    expect([...diff.querySelectorAll('del')].map((d) => d.textContent!.trim())).toEqual(['Their', 'too']);
    expect([...diff.querySelectorAll('ins')].map((d) => d.textContent!.trim())).toEqual(['They are', 'to']);
    expect(q(b, 'rewrite-undo')!.hidden).toBe(true);
    click(b, 'rewrite-replace');
    expect(area.value).toBe('They are going to the store.');
    click(b, 'rewrite-undo');
    expect(area.value).toBe('Their going too the store.');
    click(b, 'rewrite-insert');
    expect(area.value).toBe('Their going too the store.\n\nThey are going to the store.');
  });

  it('an error from the runner is shown in words', () => {
    const b = new AnswerBubble(document, life, deps);
    b.open(subject(), 'Improve');
    b.start({ action: 'improve', option: '' });
    ports[0]!.emit({ type: 'error', code: 'needs-generator', message: 'This action needs a text generator.' });
    expect(q(b, 'bubble-error')!.textContent).toBe('This action needs a text generator.');
    expect(q(b, 'answer-bubble')!.dataset.state).toBe('error');
  });
});
