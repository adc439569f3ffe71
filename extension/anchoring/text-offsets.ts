/**
 * Converting between DOM boundary points (node, offset) and character offsets into an element's
 * text. Every selector that talks about "text offsets" (TextPosition, the offsets of a RangeSelector,
 * the TextQuote's context) is expressed in this one coordinate system.
 *
 * The text is the DOM's text (like `textContent`, no layout involved, so a background tab, happy-dom
 * and Chromium agree) minus the contents of elements that never render as text: <script>, <style>,
 * <noscript>, <template> and our own overlay. Hypothesis counts those too; we don't, because pages
 * often repeat their article inside a script (JSON state for hydration), and a quote found there
 * can't be painted — it would hide the visible copy that was edited. The cost is that our
 * TextPositions differ from Hypothesis's on pages with inline scripts; they are verified against the
 * quote anyway. The text stays the same when our painter splits text nodes into `<calico-highlight>`
 * wrappers, which is what lets highlights re-anchor over a page that already has highlights on it.
 */

export interface TextPoint {
  node: Text;
  offset: number;
}

/** Which way to lean when an offset falls exactly between two text nodes. A start boundary leans
 * forward (into the next node) and an end boundary leans backward, so a range never begins at the end
 * of a node or ends at the start of one — that would make painters wrap empty pieces. */
export type Lean = 'forward' | 'backward';

/** Elements whose text is not page text. */
export const NON_TEXT_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'calico-overlay']);

function excluded(node: Node): boolean {
  return node.nodeType === Node.ELEMENT_NODE && NON_TEXT_ELEMENTS.has((node as Element).localName.toLowerCase());
}

/** The text nodes under root in document order, skipping non-text elements' contents. */
export function textNodesIn(root: Node): Text[] {
  const nodes: Text[] = [];
  if (root.nodeType === Node.TEXT_NODE) return [root as Text];
  // Iterative walk: deep pages would overflow a recursive one.
  let node: Node | null = root.firstChild;
  while (node) {
    if (node.nodeType === Node.TEXT_NODE) nodes.push(node as Text);
    else if (node.firstChild && !excluded(node)) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== root && !node.nextSibling) node = node.parentNode;
    if (!node || node === root) break;
    node = node.nextSibling;
  }
  return nodes;
}

/** The page text of root (see above). */
export function textOf(root: Node): string {
  return textNodesIn(root).map((t) => t.data).join('');
}

/** True when the node sits inside an element whose text is not page text (below root). */
export function inNonText(node: Node, root: Node): boolean {
  for (let n: Node | null = node.parentNode; n && n !== root; n = n.parentNode) if (excluded(n)) return true;
  return false;
}

const FOLLOWING = 0x04;

/** The character offset in root's text of a DOM boundary point inside `root`. A point inside a
 * non-text element (a script) counts as the point just before that element. */
export function textOffsetOf(root: Node, node: Node, offset: number): number {
  if (node !== root && !root.contains(node)) throw new RangeError('boundary point is outside the root');
  let total = 0;
  if (node.nodeType === Node.TEXT_NODE && !inNonText(node, root)) {
    for (const t of textNodesIn(root)) {
      if (t === node) return total + Math.min(offset, t.length);
      total += t.length;
    }
    throw new RangeError('text node not found under root');
  }
  // An element (or other container) boundary: the point sits just before child[offset], or after
  // every descendant when offset == childNodes.length. Count the text that precedes that point.
  const after = node.childNodes[offset] ?? null;
  for (const t of textNodesIn(root)) {
    const atOrPast = after
      ? after === t || after.contains(t) || (after.compareDocumentPosition(t) & FOLLOWING) !== 0
      : !node.contains(t) && (node.compareDocumentPosition(t) & FOLLOWING) !== 0;
    if (atOrPast) return total;
    total += t.length;
  }
  return total;
}

/** The text node and offset where character `offset` of root's text is; null when out of range
 * (or when root has no text at all). */
export function pointAt(root: Node, offset: number, lean: Lean): TextPoint | null {
  if (offset < 0) return null;
  const nodes = textNodesIn(root);
  let total = 0;
  let lastFit: TextPoint | null = null;
  for (const node of nodes) {
    const end = total + node.length;
    if (offset < end || (offset === end && lean === 'backward')) {
      if (offset >= total) return { node, offset: offset - total };
    }
    if (offset === end) lastFit = { node, offset: node.length };
    total = end;
  }
  // offset == total text length with a forward lean: there is no next node, so end of the last one.
  return offset === total ? lastFit : null;
}

/** A DOM Range over [start, end) of root's text; null when the offsets don't fit. */
export function rangeFromOffsets(root: Node, start: number, end: number): Range | null {
  if (end < start) return null;
  const doc = root.ownerDocument ?? (root as Document);
  const from = pointAt(root, start, 'forward');
  const to = start === end ? from : pointAt(root, end, 'backward');
  if (!from || !to) return null;
  const range = doc.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  return range;
}
