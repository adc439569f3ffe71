/**
 * Writing a rewrite back into the field it came from: a textarea, a text input, or a contenteditable
 * (which is what most rich editors are, as far as a plain contenteditable reaches).
 *
 * Replace and Insert below go through `execCommand('insertText')` where the browser takes it: that is
 * the edit a person's typing makes, so the page's own editor sees an input event and its own Ctrl+Z
 * undoes it. Where it is refused (some editors, or a document without it), the text is written
 * directly and an `input` event is dispatched. Either way the original is kept — the field's value and
 * selection, or clones of the editable's child nodes — so the bubble's Undo restores it exactly even
 * when the native undo stack can't.
 */

export interface EditableTarget {
  readonly kind: 'text-field' | 'rich-text';
  readonly element: HTMLElement;
  /** The text an action works on: the field's selection, or all of it when nothing is selected. */
  readonly text: string;
  replace(text: string): void;
  insertBelow(text: string): void;
  /** Restores the field as it was before replace/insertBelow; false when there is nothing to undo. */
  undo(): boolean;
  readonly changed: boolean;
  rect(): DOMRect;
}

type TextField = HTMLTextAreaElement | HTMLInputElement;

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', '']);

export function isTextField(el: Element | null): el is TextField {
  if (!el) return false;
  if (el.tagName === 'TEXTAREA') return true;
  return el.tagName === 'INPUT' && TEXT_INPUT_TYPES.has(((el as HTMLInputElement).getAttribute('type') ?? '').toLowerCase());
}

function tryInsertText(doc: Document, text: string): boolean {
  try {
    return typeof doc.execCommand === 'function' && doc.execCommand('insertText', false, text);
  } catch {
    return false;
  }
}

function tryUndo(doc: Document): void {
  try {
    if (typeof doc.execCommand === 'function') doc.execCommand('undo');
  } catch {
    // The exact restore below covers it.
  }
}

function fireInput(el: HTMLElement, inputType: string, data: string | null): void {
  const InputEventCtor = el.ownerDocument.defaultView?.InputEvent ?? InputEvent;
  el.dispatchEvent(new InputEventCtor('input', { bubbles: true, composed: true, inputType, data }));
}

class TextFieldTarget implements EditableTarget {
  readonly kind = 'text-field' as const;
  readonly text: string;
  private readonly original: string;
  private readonly start: number;
  private readonly end: number;
  /** The value right after our edit: Undo only restores while the field still holds it. */
  private after: string | null = null;

  constructor(readonly element: TextField) {
    this.original = element.value;
    const s = element.selectionStart ?? 0;
    const e = element.selectionEnd ?? 0;
    [this.start, this.end] = s === e ? [0, element.value.length] : [Math.min(s, e), Math.max(s, e)];
    this.text = element.value.slice(this.start, this.end);
  }

  get changed(): boolean {
    return this.after !== null;
  }

  private write(start: number, end: number, text: string): void {
    const el = this.element;
    const expected = el.value.slice(0, start) + text + el.value.slice(end);
    el.focus();
    el.setSelectionRange(start, end);
    if (!tryInsertText(el.ownerDocument, text) || el.value !== expected) {
      el.value = expected;
      el.setSelectionRange(start + text.length, start + text.length);
      fireInput(el, 'insertReplacementText', text);
    }
    this.after = el.value;
  }

  replace(text: string): void {
    this.write(this.start, this.end, text);
  }

  insertBelow(text: string): void {
    const separator = this.element.tagName === 'TEXTAREA' ? '\n\n' : ' ';
    this.write(this.end, this.end, `${separator}${text}`);
  }

  undo(): boolean {
    const el = this.element;
    if (this.after === null || el.value !== this.after) return false;
    el.focus();
    tryUndo(el.ownerDocument);
    if (el.value !== this.original) {
      el.value = this.original;
      fireInput(el, 'historyUndo', null);
    }
    el.setSelectionRange(this.start, this.end);
    this.after = null;
    return true;
  }

  rect(): DOMRect {
    return this.element.getBoundingClientRect();
  }
}

/** The outermost contenteditable element holding `node`. */
export function editingHost(node: Node | null): HTMLElement | null {
  let el: HTMLElement | null = node ? (node.nodeType === Node.ELEMENT_NODE ? (node as HTMLElement) : node.parentElement) : null;
  let host: HTMLElement | null = null;
  while (el) {
    if (el.isContentEditable || el.getAttribute?.('contenteditable') === 'true' || el.getAttribute?.('contenteditable') === '') host = el;
    else if (host) break;
    el = el.parentElement;
  }
  return host;
}

const BLOCK = 'p, div, li, h1, h2, h3, h4, h5, h6, blockquote, pre';

class RichTextTarget implements EditableTarget {
  readonly kind = 'rich-text' as const;
  readonly text: string;
  private readonly range: Range;
  private readonly snapshot: Node[];
  private readonly originalHtml: string;
  private afterHtml: string | null = null;

  constructor(readonly element: HTMLElement, selection: Range | null) {
    const doc = element.ownerDocument;
    this.snapshot = Array.from(element.childNodes, (n) => n.cloneNode(true));
    this.originalHtml = element.innerHTML;
    if (selection && !selection.collapsed && element.contains(selection.commonAncestorContainer)) {
      this.range = selection.cloneRange();
    } else {
      this.range = doc.createRange();
      this.range.selectNodeContents(element);
    }
    this.text = this.range.toString();
  }

  get changed(): boolean {
    return this.afterHtml !== null;
  }

  private select(range: Range): void {
    const doc = this.element.ownerDocument;
    this.element.focus();
    const sel = doc.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
  }

  replace(text: string): void {
    const range = this.range.cloneRange();
    this.select(range);
    const before = this.element.textContent ?? '';
    const inserted = tryInsertText(this.element.ownerDocument, text);
    // A refused command, or an editor that swallowed it: write the text ourselves.
    if (!inserted || (this.element.textContent ?? '') === before) {
      range.deleteContents();
      range.insertNode(this.element.ownerDocument.createTextNode(text));
      fireInput(this.element, 'insertReplacementText', text);
    }
    this.afterHtml = this.element.innerHTML;
  }

  insertBelow(text: string): void {
    const doc = this.element.ownerDocument;
    const end = this.range.endContainer;
    const endEl = end.nodeType === Node.ELEMENT_NODE ? (end as Element) : end.parentElement;
    const block = endEl?.closest(BLOCK);
    const within = block && block !== this.element && this.element.contains(block) ? block : null;
    const paragraph = doc.createElement(within?.tagName === 'LI' ? 'li' : within?.tagName === 'P' ? 'p' : 'div');
    // Text only: the model's output is never markup in the page.
    paragraph.textContent = text;
    if (within) within.after(paragraph);
    else this.element.append(paragraph);
    fireInput(this.element, 'insertParagraph', text);
    this.afterHtml = this.element.innerHTML;
  }

  undo(): boolean {
    if (this.afterHtml === null || this.element.innerHTML !== this.afterHtml) return false;
    this.element.focus();
    tryUndo(this.element.ownerDocument);
    if (this.element.innerHTML !== this.originalHtml) {
      this.element.replaceChildren(...this.snapshot.map((n) => n.cloneNode(true)));
      fireInput(this.element, 'historyUndo', null);
    }
    this.afterHtml = null;
    return true;
  }

  rect(): DOMRect {
    const r = this.range.getBoundingClientRect();
    return r.width || r.height ? r : this.element.getBoundingClientRect();
  }
}

/** The editable field the person is working in (focused, or holding the selection), or null. */
export function captureEditable(doc: Document): EditableTarget | null {
  const active = doc.activeElement as HTMLElement | null;
  if (isTextField(active) && !active.readOnly && !active.disabled) return new TextFieldTarget(active);
  const sel = doc.getSelection();
  const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
  // The focused editor counts when the selection is in it or there is none to speak of (a caret).
  const host = editingHost(range?.commonAncestorContainer ?? null) ?? (active?.isContentEditable && (!range || range.collapsed) ? editingHost(active) : null);
  if (host && host.isConnected) return new RichTextTarget(host, range);
  return null;
}
