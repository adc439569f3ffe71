/**
 * Element ↔ XPath relative to a root (the document body), in the simple `/tag[n]/tag[n]` form the
 * RangeSelector stores, e.g. `/main[1]/p[3]`.
 *
 * Only elements get paths: RangeSelector offsets are text offsets inside the element (see range.ts), so
 * text nodes never need one — which keeps paths stable when our painter splits text nodes.
 * Resolving uses a small evaluator of that form rather than `document.evaluate`: it is faster, works
 * the same in every DOM implementation, ignores namespaces (XHTML pages with a default namespace make
 * `document.evaluate('/p[1]')` fail) and can't be tricked into evaluating arbitrary expressions.
 */

/** Elements our own code inserts; they are never part of a path (see painter.ts). */
export const OWN_ELEMENT_NAMES = new Set(['calico-highlight', 'calico-overlay']);

function nameOf(el: Element): string {
  return el.localName.toLowerCase();
}

/** The XPath of `el` relative to `root` (`''` for root itself). */
export function xpathFromElement(el: Element, root: Element): string {
  if (el !== root && !root.contains(el)) throw new RangeError('element is outside the root');
  const segments: string[] = [];
  for (let node: Element | null = el; node && node !== root; node = node.parentElement) {
    const name = nameOf(node);
    let index = 1;
    for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) {
      if (nameOf(sib) === name) index++;
    }
    segments.unshift(`/${name}[${index}]`);
  }
  return segments.join('');
}

const SEGMENT = /^\/([A-Za-z_][\w.:-]*)(?:\[(\d+)\])?/;

/** The element at `xpath` under `root`, or null when the path is malformed or leads nowhere. */
export function elementFromXPath(xpath: string, root: Element): Element | null {
  let node: Element = root;
  let rest = xpath.trim();
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return null;
    const name = m[1]!.toLowerCase().replace(/^.*:/, ''); // drop a namespace prefix (xhtml:p)
    const wanted = m[2] ? Number(m[2]) : 1;
    if (wanted < 1) return null;
    let seen = 0;
    let found: Element | null = null;
    for (let child = node.firstElementChild; child; child = child.nextElementSibling) {
      if (nameOf(child) === name && ++seen === wanted) {
        found = child;
        break;
      }
    }
    if (!found) return null;
    node = found;
    rest = rest.slice(m[0].length);
  }
  return node;
}
