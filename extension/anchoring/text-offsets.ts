/**
 * Converting between DOM boundary points (node, offset) and character offsets into an element's
 * `textContent`. Every selector that talks about "text offsets" (TextPosition, the offsets of a
 * RangeSelector, the TextQuote's context) is expressed in this one coordinate system.
 *
 * Why textContent and not innerText: textContent is defined by the DOM alone (no layout), so the same
 * document yields the same numbers in a background tab, in happy-dom and in Chromium, and it is what
 * other W3C-selector producers (Hypothesis) record. It also stays the same when our painter splits
 * text nodes into `<calico-highlight>` wrappers, which is what lets highlights re-anchor over a page
 * that already has highlights painted on it.
 */

export interface TextPoint {
  node: Text;
  offset: number;
}

/** Which way to lean when an offset falls exactly between two text nodes. A start boundary leans
 * forward (into the next node) and an end boundary leans backward, so a range never begins at the end
 * of a node or ends at the start of one — that would make painters wrap empty pieces. */
export type Lean = 'forward' | 'backward';

const SHOW_TEXT = 0x4;

export function textNodesIn(root: Node): Text[] {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  return nodes;
}

export function textOf(root: Node): string {
  return root.textContent ?? '';
}

const FOLLOWING = 0x04;

/** The character offset in `root.textContent` of a DOM boundary point inside `root`. */
export function textOffsetOf(root: Node, node: Node, offset: number): number {
  if (node !== root && !root.contains(node)) throw new RangeError('boundary point is outside the root');
  let total = 0;
  if (node.nodeType === Node.TEXT_NODE) {
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

/** The text node and offset where character `offset` of `root.textContent` is; null when out of range
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
