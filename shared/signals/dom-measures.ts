/**
 * Character counts over a page's document that only the markup can tell: how much of the visible text
 * sits inside links, and how much is hidden by the page itself. Reads inline styles and the `hidden`
 * attribute only, so the same numbers come out in the browser, linkedom (crawler) and happy-dom (tests);
 * a stylesheet-hidden block is not seen, which errs on the side of not accusing a page.
 */
export interface DomMeasures {
  /** Visible text characters of the body (scripts, styles and templates excluded). */
  textChars: number;
  /** Of those, inside `<a href>`. */
  linkChars: number;
  links: number;
  /** Distinct hosts named by absolute links: a link farm points at many sites. */
  linkHosts: number;
  /** Text characters inside elements the page hides (not counted in textChars). */
  hiddenChars: number;
  /** The first hidden text, to look for keyword stuffing in it. */
  hiddenSample: string;
}

const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'HEAD', 'IFRAME', 'OBJECT', 'CANVAS']);
/** Inline styles that keep text from being seen: display/visibility, zero size, pushed off-screen. */
const HIDING_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|(?:left|top|text-indent)\s*:\s*-\d{3,}|opacity\s*:\s*0(?![.\d]*[1-9])|(?:width|height)\s*:\s*0(?:px)?\s*;[^"]*overflow\s*:\s*hidden/i;
const SAMPLE_CHARS = 4000;
/** Past this many nodes the walk stops: the counts are then ratios of the first part, which is enough. */
const MAX_NODES = 200_000;

function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden')) return true;
  const style = el.getAttribute('style');
  return style !== null && HIDING_STYLE.test(style);
}

export function measureDom(doc: Document): DomMeasures {
  const out: DomMeasures = { textChars: 0, linkChars: 0, links: 0, linkHosts: 0, hiddenChars: 0, hiddenSample: '' };
  const hosts = new Set<string>();
  const root = doc.body ?? doc.documentElement;
  if (!root) return out;
  // An explicit stack (not recursion): some pages nest thousands of levels deep.
  const stack: Array<{ node: Node; inLink: boolean; hidden: boolean }> = [{ node: root, inLink: false, hidden: false }];
  let seen = 0;
  while (stack.length && seen++ < MAX_NODES) {
    const { node, inLink, hidden } = stack.pop()!;
    if (node.nodeType === 3) {
      const chars = (node.nodeValue ?? '').replace(/\s+/g, ' ').trim().length;
      if (!chars) continue;
      if (hidden) {
        out.hiddenChars += chars;
        if (out.hiddenSample.length < SAMPLE_CHARS) out.hiddenSample += ' ' + node.nodeValue!.trim().slice(0, SAMPLE_CHARS);
      } else {
        out.textChars += chars;
        if (inLink) out.linkChars += chars;
      }
      continue;
    }
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    if (SKIP.has(el.tagName.toUpperCase())) continue;
    const isLink = el.tagName.toUpperCase() === 'A' && el.hasAttribute('href');
    if (isLink && !hidden) {
      out.links++;
      const host = /^https?:\/\/([^/?#:]+)/i.exec(el.getAttribute('href')!.trim())?.[1];
      if (host) hosts.add(host.toLowerCase());
    }
    const childHidden = hidden || isHidden(el);
    const children = el.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, inLink: inLink || isLink, hidden: childHidden });
  }
  out.linkHosts = hosts.size;
  out.hiddenSample = out.hiddenSample.slice(0, SAMPLE_CHARS).trim();
  return out;
}
