import type { HighlightColor } from '@shared/schemas/records';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { HIGHLIGHT_TAG, highlightIdOf } from './painter';
import { OVERLAY_CSS } from './overlay-styles';
import { OverlayView, byPerson, type Anchor, type TrustCheck } from './overlay-view';

/**
 * When the overlay shows and what its buttons do: the toolbar after a text selection, the edit menu
 * after a click on a painted highlight. The work itself (messages, painting) is the highlighter's,
 * reached through `OverlayActions`.
 *
 * It watches `selectionchange` rather than `mouseup`, so keyboard selections and selections made by
 * scripts (the e2e suite uses the Range API) get the toolbar too; while the mouse button is down it
 * waits for the drag to end.
 *
 * The page must not be able to work the overlay (issue 9): its shadow root is closed, and only the
 * person's own input counts (`isTrusted`): a script's synthetic click on a painted highlight opens
 * nothing, its clicks on our buttons do nothing. Tests reach in the way devtools do (e2e/support:
 * chrome.dom.openOrClosedShadowRoot evaluated in the content script's isolated world, and real mouse
 * and keyboard input), never through a hook a page could call.
 */

export const OVERLAY_TAG = 'calico-overlay';
/** The schema's cap on a highlight's text. */
const MAX_SELECTION = 20_000;
const SELECTION_SETTLE_MS = 150;

export interface OverlayActions {
  create(range: Range, color: HighlightColor): Promise<string>;
  recolor(id: string, color: HighlightColor): Promise<void>;
  saveNote(id: string, note: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** The toolbar's Ask, with the selection it was pressed on (the answer bubble anchors to it). */
  ask(query: string, range?: Range): Promise<void>;
  lookup(id: string): { color: HighlightColor; note: string } | undefined;
}

/** Timers and listeners bound to the content script's lifetime (WXT's ctx, or a test double). */
export type Lifetime = Pick<ContentScriptContext, 'addEventListener' | 'setTimeout' | 'onInvalidated'>;

export interface OverlayMount {
  view: OverlayView;
  host: HTMLElement;
}

/** Puts `<calico-overlay>` with a closed shadow root at the end of the body. */
export async function mountOverlay(ctx: ContentScriptContext): Promise<OverlayMount> {
  const ui = await createShadowRootUi(ctx, {
    name: OVERLAY_TAG,
    position: 'inline',
    anchor: 'body',
    append: 'last',
    mode: 'closed',
    css: OVERLAY_CSS,
    // Keys typed into the note box must not reach the page's shortcuts (j/k, /, s…).
    isolateEvents: true,
    onMount: (container) => new OverlayView(container),
  });
  ui.mount();
  return { view: ui.mounted!, host: ui.shadowHost };
}

const EDITABLE = 'input, textarea, select, [contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]';

function elementOf(node: Node): Element | null {
  return node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
}

/** The page selection the toolbar may act on, or null (collapsed, blank, huge, in a field, in our UI). */
export function actionableSelection(doc: Document): Range | null {
  const sel = doc.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  const text = range.toString();
  if (!text.trim() || text.length > MAX_SELECTION) return null;
  const active = doc.activeElement as HTMLElement | null;
  if (active && (active.matches(EDITABLE) || active.isContentEditable === true)) return null;
  const el = elementOf(range.commonAncestorContainer);
  if (!el || !doc.body?.contains(el) || el.closest(`${EDITABLE}, ${OVERLAY_TAG}`)) return null;
  return range.cloneRange();
}

function anchorOf(target: Range | Element): Anchor {
  const r = target.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left };
}

export class OverlayController {
  private selection: Range | null = null;
  private editing: { id: string; element: Element } | null = null;
  private pointerDown = false;
  private creating = false;
  private settleTimer: number | undefined;

  constructor(
    private readonly ctx: Lifetime,
    private readonly doc: Document,
    private readonly mount: OverlayMount,
    private readonly actions: OverlayActions,
    private readonly trusted: TrustCheck = byPerson,
  ) {
    const win = doc.defaultView ?? window;
    // A selection, however it was made, only shows the toolbar; acting on it takes the person's click.
    ctx.addEventListener(doc, 'selectionchange', () => this.scheduleSelectionCheck());
    ctx.addEventListener(doc, 'mousedown', (e) => this.trusted(e) && this.onPointerDown(e as MouseEvent), { capture: true });
    ctx.addEventListener(doc, 'mouseup', () => {
      this.pointerDown = false;
      this.scheduleSelectionCheck();
    }, { capture: true });
    ctx.addEventListener(doc, 'click', (e) => this.trusted(e) && this.onClick(e as MouseEvent), { capture: true });
    ctx.addEventListener(doc, 'keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && this.trusted(e)) this.hide();
    });
    const reposition = () => this.reposition();
    ctx.addEventListener(win, 'scroll', reposition, { capture: true, passive: true });
    ctx.addEventListener(win, 'resize', reposition, { passive: true });
    // A selection made while the content script was still starting gets its toolbar too.
    this.scheduleSelectionCheck();
  }

  get view(): OverlayView {
    return this.mount.view;
  }

  private fromOurUi(e: Event): boolean {
    return e.composedPath().includes(this.mount.host);
  }

  private onPointerDown(e: MouseEvent): void {
    if (this.fromOurUi(e)) return;
    this.pointerDown = true;
    // A press anywhere else dismisses the panel; a click on a highlight reopens it as the edit menu.
    this.hide();
  }

  private scheduleSelectionCheck(): void {
    if (this.settleTimer !== undefined) clearTimeout(this.settleTimer);
    this.settleTimer = this.ctx.setTimeout(() => this.checkSelection(), SELECTION_SETTLE_MS);
  }

  /** Shows the toolbar for a new selection, hides it when the selection went away. */
  checkSelection(): void {
    this.settleTimer = undefined;
    if (this.pointerDown || this.view.noteOpen) return;
    const range = actionableSelection(this.doc);
    if (!range) {
      if (this.view.current === 'toolbar') this.hide();
      return;
    }
    this.selection = range;
    this.editing = null;
    this.view.showToolbar(anchorOf(range), {
      onColor: (color) => void this.highlight(color),
      onNote: () => void this.highlightWithNote(),
      onAsk: () => void this.ask(),
    });
  }

  private onClick(e: MouseEvent): void {
    if (this.fromOurUi(e)) return;
    const target = e.target instanceof Element ? e.target.closest(HIGHLIGHT_TAG) : null;
    if (!target) return;
    // The end of a drag that started on a highlight is a selection, not a click on it.
    const sel = this.doc.getSelection();
    if (sel && !sel.isCollapsed && sel.toString().trim()) return;
    const id = highlightIdOf(target);
    const known = id ? this.actions.lookup(id) : undefined;
    if (!id || !known) return;
    this.openEditMenu(id, target, known.color);
  }

  openEditMenu(id: string, element: Element, color: HighlightColor): void {
    this.selection = null;
    this.editing = { id, element };
    this.view.showEditMenu(anchorOf(element), { color }, {
      onColor: (c) => void this.run(() => this.actions.recolor(id, c)),
      onEditNote: () => {
        this.view.openNoteEditor(this.actions.lookup(id)?.note ?? '', (note) => void this.run(() => this.actions.saveNote(id, note)));
      },
      onDelete: () => void this.run(() => this.actions.remove(id)),
    });
  }

  /** The selection the person sees when they press a button: the live one, if it changed since the toolbar
   * was shown (a page script may have made the selection the toolbar first appeared for). */
  private currentSelection(): Range | null {
    return actionableSelection(this.doc) ?? this.selection;
  }

  private async highlight(color: HighlightColor): Promise<string | null> {
    const range = this.currentSelection();
    // A second click while the first is still being saved would make a duplicate.
    if (!range || this.creating) return null;
    this.creating = true;
    try {
      const id = await this.actions.create(range, color);
      this.doc.getSelection()?.removeAllRanges();
      this.hide();
      return id;
    } catch (error) {
      this.view.showError(`Couldn’t save the highlight: ${(error as Error).message}`);
      return null;
    } finally {
      this.creating = false;
    }
  }

  private async highlightWithNote(): Promise<void> {
    const range = this.currentSelection();
    if (!range || this.creating) return;
    this.creating = true;
    try {
      const id = await this.actions.create(range, 'yellow');
      this.selection = null;
      this.doc.getSelection()?.removeAllRanges();
      this.view.openNoteEditor('', (note) => void this.run(() => this.actions.saveNote(id, note)));
    } catch (error) {
      this.view.showError(`Couldn’t save the highlight: ${(error as Error).message}`);
    } finally {
      this.creating = false;
    }
  }

  private async ask(): Promise<void> {
    const query = this.selection?.toString().replace(/\s+/g, ' ').trim().slice(0, 2048);
    if (!query) return;
    const range = this.selection ?? undefined;
    await this.run(() => this.actions.ask(query, range));
  }

  /** Runs a menu action; the panel closes when it succeeds and shows why when it doesn't. */
  private async run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.hide();
    } catch (error) {
      this.view.showError((error as Error).message || 'Something went wrong');
    }
  }

  private reposition(): void {
    if (this.view.current === 'toolbar' && this.selection) this.view.place(anchorOf(this.selection));
    else if (this.view.current === 'edit' && this.editing?.element.isConnected) this.view.place(anchorOf(this.editing.element));
  }

  hide(): void {
    this.view.hide();
    this.editing = null;
  }
}
