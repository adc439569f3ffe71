import type { HighlightColor } from '@shared/schemas/records';
import { textNodesIn, textOffsetOf } from '@/anchoring/text-offsets';
import { HIGHLIGHT_BACKGROUNDS } from './colors';

/**
 * Painting highlights into the page: each text node the range covers is wrapped in a
 * `<calico-highlight data-color>` element with inline styles.
 *
 * The wrapper sits in the page's DOM, where the page's scripts can read it, so it carries nothing they
 * could use: no note, no highlight id. The id lives in a property the content script sets on its own
 * view of the element (HIGHLIGHT_ID_PROP): a content script runs in an isolated world whose JavaScript
 * properties on DOM objects the page never sees, so a page can neither read ids nor forge a wrapper the
 * overlay would act on (one the page makes has no id).
 *
 * Why wrap text nodes (not a CSS Highlight API or an overlay canvas): it works on every page, follows
 * reflow and scrolling for free, and the element is a click target for the edit menu. The price is
 * touching the page's DOM, so the painter is careful:
 * - only text nodes are wrapped, never elements, so the page's structure, selectors and XPaths stay;
 * - nothing inside <script>/<style>/<textarea>/<select>/…, SVG or our own overlay is wrapped;
 * - whitespace-only nodes between blocks (in a <tr>, <ul>, between two <p>s) are skipped: an inline
 *   element there would render stray highlighted gaps or be invalid;
 * - `unpaint` puts the text nodes back and merges the pieces a paint split, so the DOM reads as before.
 * The wrapper is a custom element name, so page CSS aimed at span/mark doesn't restyle it.
 */

export const HIGHLIGHT_TAG = 'calico-highlight';
/** Property (in the content script's world only) holding a wrapper's highlight id. */
export const HIGHLIGHT_ID_PROP = 'calicoHighlightId';

type Painted = HTMLElement & { [HIGHLIGHT_ID_PROP]?: string };

/** The id of the highlight a painted wrapper belongs to; undefined for anything we didn't paint. */
export function highlightIdOf(el: Element): string | undefined {
  return (el as Painted)[HIGHLIGHT_ID_PROP];
}

const SKIP_INSIDE = new Set(['script', 'style', 'noscript', 'textarea', 'select', 'option', 'optgroup', 'template', 'title', 'iframe', 'object', 'calico-overlay']);
const STRUCTURAL = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup', 'ul', 'ol', 'dl', 'menu', 'select', 'datalist', 'html', 'head', 'frameset']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'dialog', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'ul', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'caption', 'summary', 'br',
]);
const XHTML = 'http://www.w3.org/1999/xhtml';

function nameOf(node: Node | null): string {
  return node && node.nodeType === Node.ELEMENT_NODE ? (node as Element).localName.toLowerCase() : '';
}

function paintable(node: Text): boolean {
  const parent = node.parentElement;
  if (!parent || (parent.namespaceURI && parent.namespaceURI !== XHTML)) return false;
  for (let el: Element | null = parent; el; el = el.parentElement) {
    if (SKIP_INSIDE.has(nameOf(el))) return false;
    if ((el as HTMLElement).isContentEditable === true && el.localName !== HIGHLIGHT_TAG) return false;
  }
  if (node.data.trim() !== '') return true;
  if (node.data.length === 0) return false;
  // Whitespace between blocks renders as nothing; between inline elements it is a visible space.
  if (STRUCTURAL.has(nameOf(parent))) return false;
  return !BLOCKS.has(nameOf(node.previousSibling)) && !BLOCKS.has(nameOf(node.nextSibling)) && node.previousSibling !== null && node.nextSibling !== null;
}

function styleFor(color: HighlightColor): string {
  return [
    `background-color: ${HIGHLIGHT_BACKGROUNDS[color]}`,
    'color: inherit',
    'display: inline',
    'border-radius: 2px',
    'cursor: pointer',
    'box-decoration-break: clone',
    '-webkit-box-decoration-break: clone',
  ].join('; ');
}

/** Wraps the text the range covers; returns the wrappers (empty when nothing paintable was covered). */
export function paint(range: Range, id: string, color: HighlightColor): HTMLElement[] {
  if (range.collapsed) return [];
  let root: Node = range.commonAncestorContainer;
  if (root.nodeType !== Node.ELEMENT_NODE) root = root.parentNode ?? root;
  const doc = root.ownerDocument ?? document;
  const start = textOffsetOf(root, range.startContainer, range.startOffset);
  const end = textOffsetOf(root, range.endContainer, range.endOffset);

  // Offsets of each node are taken before any split; splitting only adds nodes after the current one,
  // so the remaining entries stay valid.
  const pieces: Text[] = [];
  let at = 0;
  for (const node of textNodesIn(root)) {
    const nodeStart = at;
    const nodeEnd = at + node.length;
    at = nodeEnd;
    if (nodeEnd <= start || nodeStart >= end) continue;
    if (!paintable(node)) continue;
    let piece = node;
    const from = Math.max(start - nodeStart, 0);
    const to = Math.min(end - nodeStart, node.length);
    if (from > 0) piece = piece.splitText(from);
    if (to - from < piece.length) piece.splitText(to - from);
    pieces.push(piece);
  }

  return pieces.map((piece) => {
    const wrapper = doc.createElement(HIGHLIGHT_TAG) as Painted;
    wrapper[HIGHLIGHT_ID_PROP] = id;
    wrapper.dataset.color = color;
    wrapper.setAttribute('style', styleFor(color));
    piece.parentNode!.insertBefore(wrapper, piece);
    wrapper.appendChild(piece);
    return wrapper;
  });
}

export function paintedElements(id: string, root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(HIGHLIGHT_TAG)].filter((el) => highlightIdOf(el) === id);
}

export function allPaintedIds(root: ParentNode = document): Set<string> {
  return new Set([...root.querySelectorAll<HTMLElement>(HIGHLIGHT_TAG)].map((el) => highlightIdOf(el) ?? ''));
}

export function recolor(id: string, color: HighlightColor, root: ParentNode = document): void {
  for (const el of paintedElements(id, root)) {
    el.dataset.color = color;
    el.setAttribute('style', styleFor(color));
  }
}

/** Joins a text node with text siblings — the pieces a paint split off. */
function mergeWithNeighbours(node: Text): void {
  let text = node;
  const prev = text.previousSibling;
  if (prev && prev.nodeType === Node.TEXT_NODE) {
    (prev as Text).appendData(text.data);
    text.remove();
    text = prev as Text;
  }
  const next = text.nextSibling;
  if (next && next.nodeType === Node.TEXT_NODE) {
    text.appendData((next as Text).data);
    next.remove();
  }
}

/** Removes the highlight's wrappers, leaving their text where it was. */
export function unpaint(id: string, root: ParentNode = document): void {
  for (const el of paintedElements(id, root)) {
    const parent = el.parentNode;
    if (!parent) continue;
    const children = [...el.childNodes];
    for (const child of children) parent.insertBefore(child, el);
    el.remove();
    for (const child of children) if (child.nodeType === Node.TEXT_NODE && child.parentNode) mergeWithNeighbours(child as Text);
  }
}

/** A short pulse drawing the eye to a revealed highlight (Web Animations: no timers to clean up). */
export function flash(id: string, root: ParentNode = document): void {
  for (const el of paintedElements(id, root)) {
    if (typeof el.animate !== 'function') continue;
    el.animate(
      [
        { outline: '0px solid rgba(255, 120, 0, 0)' },
        { outline: '3px solid rgba(255, 120, 0, 0.9)' },
        { outline: '0px solid rgba(255, 120, 0, 0)' },
      ],
      { duration: 700, iterations: 2 },
    );
  }
}
