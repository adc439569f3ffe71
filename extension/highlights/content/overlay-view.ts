import { HIGHLIGHT_COLORS, type HighlightColor } from '@shared/schemas/records';
import { SWATCHES } from './colors';

/**
 * The overlay's DOM inside its shadow root: one floating panel that is either the selection toolbar
 * (`overlay`) or the edit menu of a clicked highlight (`overlay-edit`), optionally with a note editor.
 * Built with createElement/textContent only — notes and page text never pass through an HTML parser.
 * A note enters this DOM only when the person opens the note editor, and the shadow root is closed.
 * It knows nothing about selections or messaging: overlay.ts decides when to show what, and the
 * callbacks do the work.
 */

export interface ToolbarActions {
  onColor(color: HighlightColor): void;
  onNote(): void;
  onAsk(): void;
}

export interface EditActions {
  onColor(color: HighlightColor): void;
  onEditNote(): void;
  onDelete(): void;
}

export interface Anchor {
  top: number;
  bottom: number;
  left: number;
}

type Mode = 'hidden' | 'toolbar' | 'edit';

const LABELS: Record<HighlightColor, string> = { yellow: 'Yellow', green: 'Green', blue: 'Blue', pink: 'Pink', purple: 'Purple' };

/** Whether an event came from the person (the browser's input), not from a script. */
export type TrustCheck = (e: Event) => boolean;
export const byPerson: TrustCheck = (e) => e.isTrusted === true;

function button(doc: Document, testId: string, label: string, onClick: () => void, trusted: TrustCheck, text?: string): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.dataset.testid = testId;
  b.setAttribute('aria-label', label);
  b.title = label;
  if (text) b.textContent = text;
  // Keep the page's selection alive: a mousedown on a button would otherwise collapse it.
  b.addEventListener('mousedown', (e) => e.preventDefault());
  b.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    if (trusted(e)) onClick();
  });
  return b;
}

export class OverlayView {
  readonly panel: HTMLDivElement;
  private mode: Mode = 'hidden';
  private readonly doc: Document;

  /** `trusted` decides which clicks and keys count; only the browser's own input by default, so a
   * script (the page's, if it ever reached in) can't press the overlay's buttons. */
  constructor(
    readonly container: HTMLElement,
    private readonly trusted: TrustCheck = byPerson,
  ) {
    this.doc = container.ownerDocument;
    this.panel = this.doc.createElement('div');
    this.panel.className = 'panel';
    this.panel.hidden = true;
    this.panel.setAttribute('role', 'toolbar');
    container.appendChild(this.panel);
  }

  get current(): Mode {
    return this.mode;
  }

  get noteOpen(): boolean {
    return this.panel.querySelector('textarea') !== null;
  }

  showToolbar(at: Anchor, actions: ToolbarActions): void {
    this.reset('toolbar', 'overlay', 'Highlight selection');
    const row = this.row();
    for (const color of HIGHLIGHT_COLORS) row.append(this.swatch(color, `Highlight ${LABELS[color]}`, () => actions.onColor(color)));
    row.append(this.separator());
    row.append(button(this.doc, 'overlay-note', 'Highlight and add a note', actions.onNote, this.trusted, 'Note'));
    row.append(button(this.doc, 'overlay-ask', 'Ask about this', actions.onAsk, this.trusted, 'Ask'));
    this.place(at);
  }

  showEditMenu(at: Anchor, current: { color: HighlightColor }, actions: EditActions): void {
    this.reset('edit', 'overlay-edit', 'Edit highlight');
    const row = this.row();
    for (const color of HIGHLIGHT_COLORS) {
      const b = this.swatch(color, `Make ${LABELS[color]}`, () => actions.onColor(color));
      b.setAttribute('aria-pressed', String(color === current.color));
      row.append(b);
    }
    row.append(this.separator());
    row.append(button(this.doc, 'overlay-note', 'Edit note', actions.onEditNote, this.trusted, 'Note'));
    row.append(button(this.doc, 'overlay-delete', 'Delete highlight', actions.onDelete, this.trusted, 'Delete'));
    this.place(at);
  }

  /** Adds the note editor under the current panel; `onSave` gets the text. */
  openNoteEditor(initial: string, onSave: (note: string) => void): HTMLTextAreaElement {
    this.panel.querySelector('.note')?.remove();
    const box = this.doc.createElement('div');
    box.className = 'note';
    const input = this.doc.createElement('textarea');
    input.dataset.testid = 'overlay-note-input';
    input.setAttribute('aria-label', 'Note');
    input.placeholder = 'Add a note…';
    input.maxLength = 50_000;
    input.value = initial;
    const actions = this.row();
    actions.append(button(this.doc, 'overlay-note-save', 'Save note', () => onSave(input.value), this.trusted, 'Save'));
    actions.lastElementChild!.classList.add('save');
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.metaKey || e.ctrlKey) && this.trusted(e)) onSave(input.value);
    });
    box.append(input, actions);
    this.panel.append(box);
    input.focus();
    return input;
  }

  showError(message: string): void {
    this.panel.querySelector('.error')?.remove();
    const p = this.doc.createElement('div');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = message;
    this.panel.append(p);
  }

  hide(): void {
    this.mode = 'hidden';
    this.panel.hidden = true;
    this.panel.replaceChildren();
    this.panel.removeAttribute('data-testid');
  }

  private reset(mode: Mode, testId: string, label: string): void {
    this.mode = mode;
    this.panel.replaceChildren();
    this.panel.dataset.testid = testId;
    this.panel.setAttribute('aria-label', label);
    this.panel.hidden = false;
  }

  private row(): HTMLDivElement {
    const row = this.doc.createElement('div');
    row.className = 'row';
    this.panel.append(row);
    return row;
  }

  private separator(): HTMLSpanElement {
    const s = this.doc.createElement('span');
    s.className = 'sep';
    return s;
  }

  private swatch(color: HighlightColor, label: string, onClick: () => void): HTMLButtonElement {
    const b = button(this.doc, `overlay-color-${color}`, label, onClick, this.trusted);
    b.classList.add('swatch');
    b.style.background = SWATCHES[color];
    return b;
  }

  /** Below the anchor when there is room, else above; kept inside the viewport. */
  place(at: Anchor): void {
    const view = this.doc.defaultView;
    const width = view?.innerWidth ?? 1024;
    const height = view?.innerHeight ?? 768;
    const panelHeight = this.panel.offsetHeight || 44;
    const panelWidth = this.panel.offsetWidth || 280;
    let top = at.bottom + 8;
    if (top + panelHeight > height && at.top - panelHeight - 8 >= 0) top = at.top - panelHeight - 8;
    const left = Math.min(Math.max(4, at.left), Math.max(4, width - panelWidth - 4));
    this.panel.style.top = `${Math.max(4, Math.min(top, height - panelHeight - 4))}px`;
    this.panel.style.left = `${left}px`;
  }
}
