import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { BubbleCommand } from '@shared/schemas/assistant-page';
import { MAX_ACTION_TEXT, MAX_PAGE_TEXT } from '@shared/schemas/assistant-page';
import { onMessage, sendMessage } from '@/messaging/router';
import { extractPage } from '@/capture/content/extract-page';
import { ACTION_TITLES, AnswerBubble, BUBBLE_TAG, type BubbleDeps, type BubbleSubject } from './answer-bubble';
import { captureEditable, editingHost } from './editable-target';

/**
 * The in-page assistant: turns a right-click item, a shortcut or the toolbar's Ask into a bubble on
 * the right subject — the editable field being written in, the selection being read, or the page.
 */

export interface AssistantDeps {
  /** Saves the range as a highlight (the highlighter's create); rejects when highlights are off here. */
  highlight: (range: Range) => Promise<unknown>;
}

function liveSelection(doc: Document): Range | null {
  const sel = doc.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  // A selection inside our own UI is not the page's.
  const node = range.commonAncestorContainer;
  if (!node.isConnected) return null;
  const el = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  if (el?.closest(`${BUBBLE_TAG}, calico-overlay`)) return null;
  return range.cloneRange();
}

function rectOfRange(range: Range): DOMRect | null {
  const r = range.getBoundingClientRect();
  return r.width || r.height ? r : null;
}

function pageText(doc: Document): string {
  try {
    const result = extractPage(doc, { maxChars: MAX_PAGE_TEXT });
    if ('page' in result) return result.page.text;
  } catch {
    // Falls through to the visible text.
  }
  return (doc.body?.innerText ?? '').slice(0, MAX_PAGE_TEXT);
}

export class PageAssistant {
  readonly bubble: AnswerBubble;

  constructor(
    private readonly doc: Document,
    life: ConstructorParameters<typeof AnswerBubble>[1],
    bubbleDeps: BubbleDeps,
    private readonly deps: AssistantDeps,
  ) {
    this.bubble = new AnswerBubble(doc, life, bubbleDeps);
  }

  private subject(target: BubbleSubject['target'], text: string, anchor: () => DOMRect | null, editable: BubbleSubject['editable'] = null): BubbleSubject {
    return { text, target, anchor, editable, pageUrl: this.doc.location?.href ?? null, pageTitle: this.doc.title ?? '' };
  }

  /** The subject of a command: a field, the selection, or (page items, or nothing selected) the page. */
  private subjectFor(command: BubbleCommand): BubbleSubject | null {
    const pageWide = command.action === 'summarize-page' || (command.action === 'ask' && command.option === 'page');
    if (!pageWide) {
      const range = liveSelection(this.doc);
      // A selection made in the page's text wins over a field that merely still has the focus; Chrome
      // telling us the click was in an editable field wins over both.
      const selectionOutsideFields = range !== null && editingHost(range.commonAncestorContainer) === null && range.toString().trim() !== '';
      const editable = command.editable || !selectionOutsideFields ? captureEditable(this.doc) : null;
      if (editable && (command.editable || editable.text.trim())) {
        const text = editable.text.slice(0, MAX_ACTION_TEXT);
        if (text.trim()) return this.subject('editable', text, () => editable.rect(), editable);
      }
      const text = (range?.toString() || command.text).slice(0, MAX_ACTION_TEXT);
      if (text.trim()) return this.subject('selection', text, () => (range ? rectOfRange(range) : null));
      if (command.action !== 'ask') return null;
    }
    return this.subject('page', pageText(this.doc), () => null);
  }

  async command(command: BubbleCommand): Promise<boolean> {
    if (command.action === 'save-highlight') {
      const range = liveSelection(this.doc);
      if (!range) return false;
      await this.deps.highlight(range);
      this.doc.getSelection()?.removeAllRanges();
      return true;
    }
    const subject = this.subjectFor(command);
    if (!subject) return false;
    const action = command.action;
    if (action === 'ask') {
      this.bubble.open(subject, subject.target === 'page' ? 'Ask about this page' : 'Ask about the selection');
      this.bubble.focusQuestion(subject.target === 'page' ? 'Ask about this page…' : 'Ask about this…');
      return true;
    }
    const option = command.option;
    this.bubble.open(subject, option ? `${ACTION_TITLES[action]} · ${option}` : ACTION_TITLES[action]);
    this.bubble.start({ action, option });
    return true;
  }

  /** The in-page toolbar's Ask: a question box at the selection. */
  ask(query: string, range?: Range): void {
    const text = (range?.toString() || query).slice(0, MAX_ACTION_TEXT);
    const anchorRange = range?.cloneRange() ?? null;
    this.bubble.open(this.subject('selection', text, () => (anchorRange ? rectOfRange(anchorRange) : null)), 'Ask about the selection');
    this.bubble.focusQuestion();
  }
}

/** Starts the assistant in this page; registers 'assistant.command' before returning (no await). */
export function startAssistant(ctx: ContentScriptContext, deps: AssistantDeps): PageAssistant {
  const life = {
    addEventListener: (target: EventTarget, type: string, listener: (e: Event) => void, options?: AddEventListenerOptions) =>
      ctx.addEventListener(target as Window, type as keyof WindowEventMap, listener as never, options),
    setTimeout: (handler: () => void, ms: number) => ctx.setTimeout(handler, ms),
  };
  const assistant = new PageAssistant(document, life, {
    rate: (id, patch) => sendMessage('assistant.rate', { id, ...patch }),
    // The panel is opened first, while the click's user gesture still counts (sidePanel.open needs it).
    openPanel: async (handoff) => {
      const opening = sendMessage('panel.open', {});
      await sendMessage('assistant.handoff', handoff);
      await opening;
    },
  }, deps);
  onMessage('assistant.command', async (command) => ({ shown: await assistant.command(command) }));
  ctx.onInvalidated(() => assistant.bubble.close());
  return assistant;
}
