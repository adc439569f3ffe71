import type { RangeSelector } from '@shared/schemas/records';
import { OWN_ELEMENT_NAMES, elementFromXPath, xpathFromElement } from './xpath';
import { pointAt, textOffsetOf } from './text-offsets';

/**
 * RangeSelector: each boundary is an element (by XPath from the root) plus a character offset into
 * that element's text.
 *
 * It is the most precise selector while the page's structure is unchanged and the cheapest to
 * resolve, but the first to break: inserting one paragraph before the passage shifts `p[3]` to
 * `p[4]`. So anchor.ts only trusts it after checking the text it selects against the quote.
 * Text offsets (rather than child-node offsets, as in a DOM Range) survive text nodes being split or
 * merged — by our painter, or by a framework re-rendering — as long as the element's text is the same.
 */

/** The nearest element holding a boundary that is neither our own wrapper nor outside root. */
function containerOf(node: Node, root: Element): Element {
  let el: Element | null = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  while (el && el !== root && OWN_ELEMENT_NAMES.has(el.localName.toLowerCase())) el = el.parentElement;
  if (!el || (el !== root && !root.contains(el))) return root;
  return el;
}

export function fromRange(root: Element, range: Range): RangeSelector {
  const start = containerOf(range.startContainer, root);
  const end = containerOf(range.endContainer, root);
  return {
    type: 'RangeSelector',
    startContainer: xpathFromElement(start, root),
    startOffset: textOffsetOf(start, range.startContainer, range.startOffset),
    endContainer: xpathFromElement(end, root),
    endOffset: textOffsetOf(end, range.endContainer, range.endOffset),
  };
}

/** The Range the selector names, or null when its elements or offsets no longer exist. */
export function toRange(root: Element, selector: RangeSelector): Range | null {
  const startEl = elementFromXPath(selector.startContainer, root);
  const endEl = elementFromXPath(selector.endContainer, root);
  if (!startEl || !endEl) return null;
  const start = pointAt(startEl, selector.startOffset, 'forward');
  const end = pointAt(endEl, selector.endOffset, 'backward');
  if (!start || !end) return null;
  // A DOM Range silently collapses when its end is set before its start: refuse instead.
  const ordered = start.node === end.node
    ? start.offset <= end.offset
    : (start.node.compareDocumentPosition(end.node) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  if (!ordered) return null;
  const range = root.ownerDocument.createRange();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset);
  return range;
}
