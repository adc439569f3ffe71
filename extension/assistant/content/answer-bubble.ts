import type { ActionRequest, RunnerEvent } from '@shared/schemas/assistant-page';
import type { AssistantAction, CitedSource } from '@shared/schemas/assistant';
import { BUBBLE_CSS } from './bubble-styles';
import type { EditableTarget } from './editable-target';
import { renderAnswer } from './render-markdown';
import { changedWords, wordDiff } from './word-diff';
import { startRun, type Connect, type RunHandle } from './action-client';
import { button, el, shadowHost } from './shadow-dom';
import { markCitations, traceView, verificationLine } from './bubble-grounding';

/**
 * The answer bubble: a small panel next to the selection (or the field, or the page's corner) where
 * questions are asked and actions' results stream in, with Stop, follow-ups, feedback, and — for a
 * field — Replace / Insert below / Copy / Undo with a word diff.
 *
 * It lives in a closed shadow root on its own host element, so page scripts can't read or restyle it
 * and its styles can't leak out; keys typed in it don't reach the page's shortcuts. Everything from
 * the model goes through render-markdown (inert); everything from the page goes in as text.
 */

export const BUBBLE_TAG = 'calico-bubble';
const RENDER_EVERY_MS = 60;
/** Answers longer than this offer "Open in side panel". */
const LONG_ANSWER = 1200;

export interface BubbleLifetime {
  addEventListener: (target: EventTarget, type: string, listener: (e: Event) => void, options?: AddEventListenerOptions) => void;
  setTimeout: (handler: () => void, ms: number) => number;
}

export interface BubbleDeps {
  connect?: Connect;
  /** Rates a feedback record (background message). */
  rate: (id: string, patch: { rating?: 'up' | 'down' | null; correction?: string }) => Promise<unknown>;
  /** "Open in side panel": hands the bubble's answers (by feedback record) to the side panel's chat. */
  openPanel: (handoff: { turns: { question: string; feedbackId: string }[] }) => Promise<unknown>;
  openUrl?: (url: string) => void;
}

export interface BubbleSubject {
  /** The text the actions work on (selection, field, page). */
  text: string;
  target: ActionRequest['target'];
  /** Where the bubble sits; null → the top right corner. */
  anchor: () => DOMRect | null;
  editable: EditableTarget | null;
  pageUrl: string | null;
  pageTitle: string;
}

export const ACTION_TITLES: Record<AssistantAction, string> = {
  ask: 'Ask',
  explain: 'Explain',
  summarize: 'Summary',
  'summarize-page': 'Summary of this page',
  improve: 'Improved writing',
  proofread: 'Proofread',
  tone: 'New tone',
  translate: 'Translation',
  'find-references': 'References in your memory (and the web)',
  'outline-to-prose': 'Outline → prose',
};

type State = 'idle' | 'streaming' | 'done' | 'stopped' | 'error';

export class AnswerBubble {
  readonly host: HTMLElement;
  /** Closed: only this object holds the root (tests reach it through here or CDP). */
  readonly root: ShadowRoot;
  readonly panel: HTMLDivElement;
  private readonly titleEl: HTMLSpanElement;
  private readonly engineEl: HTMLSpanElement;
  private readonly body: HTMLDivElement;
  private readonly foot: HTMLDivElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly stopButton: HTMLButtonElement;
  private subject: BubbleSubject | null = null;
  private run: RunHandle | null = null;
  private history: { role: 'user' | 'assistant'; content: string }[] = [];
  /** This conversation's answers as the side panel gets them: the question line and the answer's record. */
  private handoff: { question: string; feedbackId: string }[] = [];
  private state: State = 'idle';
  private renderTimer: number | undefined;

  constructor(
    private readonly doc: Document,
    private readonly life: BubbleLifetime,
    private readonly deps: BubbleDeps,
  ) {
    const shell = shadowHost(doc, BUBBLE_TAG);
    this.host = shell.host;
    this.root = shell.root;
    const style = el(doc, 'style', { text: BUBBLE_CSS });
    this.panel = el(doc, 'div', { className: 'bubble', testid: 'answer-bubble' });
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-label', 'CalicoLobster assistant');
    this.panel.hidden = true;

    const head = el(doc, 'div', { className: 'head' });
    this.titleEl = el(doc, 'span', { className: 'title', testid: 'bubble-title' });
    this.engineEl = el(doc, 'span', { className: 'engine', testid: 'bubble-engine' });
    this.stopButton = button(doc, 'Stop', 'bubble-stop');
    this.stopButton.hidden = true;
    this.stopButton.addEventListener('click', () => this.stop());
    const close = button(doc, '✕', 'bubble-close', 'icon');
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', () => this.close());
    head.append(this.titleEl, this.engineEl, this.stopButton, close);

    this.body = el(doc, 'div', { className: 'body', testid: 'bubble-body' });
    this.foot = el(doc, 'div', { className: 'foot' });
    this.form = el(doc, 'form', { className: 'ask' });
    this.input = el(doc, 'input', { className: 'q', testid: 'bubble-question' });
    this.input.type = 'text';
    this.input.maxLength = 2048;
    this.input.placeholder = 'Ask about this…';
    const send = button(doc, 'Ask', 'bubble-ask', 'btn primary');
    send.type = 'submit';
    this.form.append(this.input, send);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.askFollowUp();
    });
    this.foot.append(this.form);
    this.panel.append(head, this.body, this.foot);
    this.root.append(style, this.panel);

    // Keys typed here are ours: the page's shortcuts (j/k, /, s…) must not see them. Escape closes.
    for (const type of ['keydown', 'keyup', 'keypress']) {
      this.root.addEventListener(type, (e) => {
        if (type === 'keydown' && (e as KeyboardEvent).key === 'Escape') this.close();
        e.stopPropagation();
      });
    }
    // A press on a button must not take the focus (and the selection) away from the field being edited.
    this.root.addEventListener('mousedown', (e) => {
      if ((e.target as Element | null)?.closest?.('button')) e.preventDefault();
    });
    const win = doc.defaultView ?? window;
    life.addEventListener(doc, 'keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && this.isOpen) this.close();
    }, { capture: true });
    const follow = () => this.place();
    life.addEventListener(win, 'scroll', follow, { capture: true, passive: true });
    life.addEventListener(win, 'resize', follow, { passive: true });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  get currentState(): State {
    return this.state;
  }

  private setState(state: State): void {
    this.state = state;
    this.panel.dataset.state = state;
    this.stopButton.hidden = state !== 'streaming';
  }

  private attach(): void {
    if (!this.host.isConnected) (this.doc.body ?? this.doc.documentElement).append(this.host);
  }

  /** Opens the bubble on a new subject: an empty conversation. */
  open(subject: BubbleSubject, title: string): void {
    this.run?.stop();
    this.run = null;
    this.subject = subject;
    this.history = [];
    this.handoff = [];
    this.body.replaceChildren();
    this.titleEl.textContent = title;
    this.engineEl.textContent = '';
    delete this.panel.dataset.engine;
    this.setState('idle');
    this.attach();
    this.panel.hidden = false;
    this.place();
  }

  /** Shows the question box (the toolbar's Ask, "Ask about this…"). */
  focusQuestion(placeholder = 'Ask about this…'): void {
    this.input.placeholder = placeholder;
    this.input.focus();
  }

  close(): void {
    this.run?.stop();
    this.run = null;
    if (this.state === 'streaming') this.setState('stopped');
    this.panel.hidden = true;
    this.host.remove();
  }

  stop(): void {
    if (this.state !== 'streaming') return;
    this.run?.stop();
    this.run = null;
    this.setState('stopped');
    this.body.append(el(this.doc, 'p', { className: 'muted', testid: 'bubble-stopped', text: 'Stopped.' }));
  }

  place(): void {
    if (!this.isOpen) return;
    const win = this.doc.defaultView ?? window;
    const vw = win.innerWidth || 1024;
    const vh = win.innerHeight || 768;
    const width = Math.min(380, vw - 16);
    const height = this.panel.offsetHeight || 240;
    const rect = this.subject?.anchor() ?? null;
    let top: number;
    let left: number;
    if (!rect) {
      top = 12;
      left = vw - width - 12;
    } else {
      top = rect.bottom + 8;
      if (top + height > vh - 8 && rect.top - height - 8 >= 8) top = rect.top - height - 8;
      left = rect.left;
    }
    top = Math.max(8, Math.min(top, vh - height - 8));
    left = Math.max(8, Math.min(left, vw - width - 8));
    this.panel.style.top = `${Math.round(top)}px`;
    this.panel.style.left = `${Math.round(left)}px`;
  }

  private askFollowUp(): void {
    const question = this.input.value.trim();
    if (!question || !this.subject || this.state === 'streaming') return;
    this.input.value = '';
    this.start({ action: 'ask', option: '', question });
  }

  /** Runs an action on the current subject; its output streams into a new answer. */
  start(what: { action: AssistantAction; option: string; question?: string }): void {
    const subject = this.subject;
    if (!subject) return;
    this.run?.stop();
    const question = what.question ?? '';
    const label = question || ACTION_TITLES[what.action];
    this.body.append(el(this.doc, 'div', { className: 'turn-user', testid: 'bubble-turn', text: label }));
    const answerEl = el(this.doc, 'div', { className: 'answer', testid: 'bubble-answer' });
    answerEl.dataset.done = 'false';
    answerEl.setAttribute('aria-live', 'polite');
    this.body.append(answerEl);
    this.setState('streaming');
    let answer = '';
    let sources: CitedSource[] = [];
    const render = () => {
      this.renderTimer = undefined;
      renderAnswer(answerEl, answer, { sources: sources.length, onCite: (n) => this.openSource(sources, n) });
      this.body.scrollTop = this.body.scrollHeight;
      this.place();
    };
    const scheduleRender = () => {
      if (this.renderTimer === undefined) this.renderTimer = this.life.setTimeout(render, RENDER_EVERY_MS);
    };
    const request: ActionRequest = {
      action: what.action,
      option: what.option,
      text: subject.text,
      target: subject.target,
      question,
      history: this.history.slice(-20),
      pageUrl: subject.pageUrl,
      pageTitle: subject.pageTitle.slice(0, 2048),
    };
    const handle = startRun(
      request,
      (event: RunnerEvent) => {
        if (this.run !== handle) return;
        switch (event.type) {
          case 'engine':
            this.engineEl.textContent = event.label;
            this.engineEl.title = event.reason;
            this.panel.dataset.engine = event.engine;
            break;
          case 'sources':
            sources = event.sources;
            break;
          case 'web': {
            // Whether the web was searched too, or why not, above the answer.
            const line = el(this.doc, 'p', { className: 'muted', testid: 'bubble-web', text: event.message });
            line.dataset.status = event.status;
            this.body.insertBefore(line, answerEl);
            break;
          }
          case 'token':
            answer += event.text;
            scheduleRender();
            break;
          case 'restart':
            answer = '';
            this.body.insertBefore(el(this.doc, 'p', { className: 'notice', testid: 'bubble-notice', text: event.notice }), answerEl);
            scheduleRender();
            break;
          case 'error':
            this.run = null;
            if (this.renderTimer !== undefined) clearTimeout(this.renderTimer);
            render();
            this.setState('error');
            answerEl.dataset.done = 'true';
            this.body.append(el(this.doc, 'p', { className: 'error', testid: 'bubble-error', text: event.message }));
            break;
          case 'done':
            this.run = null;
            if (this.renderTimer !== undefined) clearTimeout(this.renderTimer);
            render();
            answerEl.dataset.done = 'true';
            this.panel.dataset.engine = event.engine;
            this.setState('done');
            this.history.push({ role: 'user', content: (question || `${ACTION_TITLES[what.action]} of the text`).slice(0, 20_000) }, { role: 'assistant', content: answer.slice(0, 20_000) });
            if (event.feedbackId) {
              const line = question || `${label}: “${subject.text.replace(/\s+/g, ' ').trim().slice(0, 300)}”`;
              this.handoff.push({ question: line.slice(0, 2048), feedbackId: event.feedbackId });
            }
            if (event.verification) {
              markCitations(answerEl, answer, event.verification, sources.length);
              this.body.append(verificationLine(this.doc, event.verification));
            }
            if (sources.length) this.body.append(this.sourceList(sources));
            if (event.trace) this.body.append(traceView(this.doc, event.trace));
            this.body.append(this.resultActions(answer, event.rewrite, event.feedbackId));
            this.input.placeholder = 'Ask a follow-up…';
            this.place();
            break;
        }
      },
      this.deps.connect,
    );
    this.run = handle;
  }

  private openSource(sources: readonly CitedSource[], n: number): void {
    const source = sources.find((s) => s.n === n);
    if (!source || !/^https?:\/\//i.test(source.url)) return;
    (this.deps.openUrl ?? ((url) => (this.doc.defaultView ?? window).open(url, '_blank', 'noopener')))(source.url);
  }

  private sourceList(sources: readonly CitedSource[]): HTMLOListElement {
    const list = el(this.doc, 'ol', { className: 'sources', testid: 'bubble-sources' });
    for (const s of sources) {
      const item = el(this.doc, 'li', { testid: 'bubble-source' });
      item.dataset.n = String(s.n);
      item.dataset.kind = s.kind;
      const open = button(this.doc, s.title || s.url, 'bubble-source-open', '');
      open.addEventListener('click', () => this.openSource(sources, s.n));
      if (s.kind === 'web') item.append(el(this.doc, 'span', { className: 'tag', testid: 'bubble-source-web', text: 'web' }), ' ');
      item.append(open);
      list.append(item);
    }
    return list;
  }

  private diffView(before: string, after: string): HTMLElement {
    const box = el(this.doc, 'div', { className: 'diff', testid: 'rewrite-diff' });
    const parts = wordDiff(before, after);
    if (!parts) {
      box.textContent = 'The text is too long to show what changed word by word.';
      return box;
    }
    const { added, removed } = changedWords(parts);
    box.dataset.added = String(added);
    box.dataset.removed = String(removed);
    for (const part of parts) {
      const node = part.kind === 'same' ? this.doc.createTextNode(part.text) : el(this.doc, part.kind === 'added' ? 'ins' : 'del', { text: part.text });
      box.append(node);
    }
    return box;
  }

  private resultActions(output: string, rewrite: boolean, feedbackId: string | null): HTMLElement {
    const doc = this.doc;
    const wrap = el(doc, 'div', { testid: 'bubble-result' });
    const subject = this.subject;
    const editable = subject?.editable ?? null;
    if (rewrite && subject && output.trim()) wrap.append(this.diffView(subject.text, output));
    const row = el(doc, 'div', { className: 'row' });
    const status = el(doc, 'span', { className: 'muted', testid: 'rewrite-status' });
    if (editable && output.trim()) {
      const replace = button(doc, 'Replace', 'rewrite-replace', 'btn primary');
      const insert = button(doc, 'Insert below', 'rewrite-insert');
      const undo = button(doc, 'Undo', 'rewrite-undo');
      undo.hidden = true;
      const apply = (how: 'replace' | 'insert') => {
        if (editable.changed) return;
        try {
          if (how === 'replace') editable.replace(output);
          else editable.insertBelow(output);
          status.textContent = how === 'replace' ? 'Replaced.' : 'Inserted.';
          replace.disabled = true;
          insert.disabled = true;
          undo.hidden = false;
        } catch (error) {
          status.textContent = `Couldn’t write into the field: ${(error as Error).message}`;
        }
      };
      replace.addEventListener('click', () => apply('replace'));
      insert.addEventListener('click', () => apply('insert'));
      undo.addEventListener('click', () => {
        status.textContent = editable.undo() ? 'Restored the original.' : 'The field changed since; use the page’s own undo.';
        undo.hidden = true;
        replace.disabled = false;
        insert.disabled = false;
      });
      row.append(replace, insert, undo);
    }
    const copy = button(doc, 'Copy', 'rewrite-copy');
    copy.addEventListener('click', () => void this.copy(output).then((ok) => (status.textContent = ok ? 'Copied.' : 'Couldn’t copy.')));
    row.append(copy);
    if (output.length > LONG_ANSWER) {
      // Hands over the conversation so far: the panel shows these answers, it doesn't ask again.
      const panel = button(doc, 'Open in side panel', 'bubble-open-panel');
      panel.disabled = this.handoff.length === 0;
      panel.addEventListener('click', () => void this.deps.openPanel({ turns: this.handoff.slice(-20) }).catch((e: unknown) => (status.textContent = String((e as Error).message ?? e))));
      row.append(panel);
    }
    row.append(status);
    wrap.append(row);
    if (feedbackId) wrap.append(this.feedbackRow(feedbackId, output));
    return wrap;
  }

  private feedbackRow(id: string, output: string): HTMLElement {
    const doc = this.doc;
    const box = el(doc, 'div', { testid: 'feedback' });
    box.dataset.feedbackId = id;
    const row = el(doc, 'div', { className: 'row' });
    const up = button(doc, '👍', 'feedback-up', 'icon');
    const down = button(doc, '👎', 'feedback-down', 'icon');
    up.setAttribute('aria-label', 'Good answer');
    down.setAttribute('aria-label', 'Bad answer');
    const correct = button(doc, 'Correct it', 'feedback-correct');
    const note = el(doc, 'span', { className: 'muted', testid: 'feedback-status' });
    let rating: 'up' | 'down' | null = null;
    const rate = (value: 'up' | 'down') => {
      const next = rating === value ? null : value;
      void this.deps
        .rate(id, { rating: next })
        .then(() => {
          rating = next;
          up.setAttribute('aria-pressed', String(rating === 'up'));
          down.setAttribute('aria-pressed', String(rating === 'down'));
          box.dataset.rating = rating ?? '';
          note.textContent = rating ? 'Thanks.' : '';
        })
        .catch((e: unknown) => (note.textContent = `Not saved: ${(e as Error).message}`));
    };
    up.addEventListener('click', () => rate('up'));
    down.addEventListener('click', () => rate('down'));
    const fix = el(doc, 'div', {});
    fix.hidden = true;
    const area = el(doc, 'textarea', { className: 'fix', testid: 'feedback-correction' });
    area.value = output.slice(0, 64_000);
    area.maxLength = 64_000;
    const save = button(doc, 'Save correction', 'feedback-correction-save');
    save.addEventListener('click', () => {
      void this.deps
        .rate(id, { correction: area.value })
        .then(() => {
          note.textContent = 'Correction saved.';
          box.dataset.corrected = 'true';
          fix.hidden = true;
        })
        .catch((e: unknown) => (note.textContent = `Not saved: ${(e as Error).message}`));
    });
    fix.append(area, save);
    correct.addEventListener('click', () => {
      fix.hidden = !fix.hidden;
      if (!fix.hidden) area.focus();
    });
    row.append(up, down, correct, note);
    box.append(row, fix);
    return box;
  }

  private async copy(text: string): Promise<boolean> {
    try {
      await (this.doc.defaultView ?? window).navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Without clipboard permission or focus: the classic way, from a field inside our own root.
      const area = el(this.doc, 'textarea', {});
      area.value = text;
      this.root.append(area);
      area.select();
      let ok = false;
      try {
        ok = this.doc.execCommand('copy');
      } catch {
        ok = false;
      }
      area.remove();
      return ok;
    }
  }
}
