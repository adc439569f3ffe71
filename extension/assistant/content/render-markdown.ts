import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';

/**
 * Model output → DOM, inert whatever the model (or a page it read) wrote. Two layers: markdown-it with
 * raw HTML off (a `<script>` in the answer is text) and its link validation (no `javascript:`), then
 * DOMPurify with a short allow-list: no images (a remote image would be a tracking pixel), links only
 * to http(s), opened in a new tab without an opener. Citations `[n]` become buttons.
 *
 * A very long answer renders as plain text: parsing and sanitising a megabyte on every token would
 * freeze the page the bubble sits on.
 */

export const MAX_MARKDOWN_CHARS = 40_000;

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
// No images at all: one in an answer would be fetched from wherever the model (or a page) pointed it.
md.disable('image');

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'b', 'i', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'del', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];

let purifier: ReturnType<typeof DOMPurify> | undefined;
const purify = () => (purifier ??= DOMPurify(window));

export interface RenderOptions {
  /** Number of sources: only [n] with 1 ≤ n ≤ this become citations. */
  sources: number;
  onCite?: (n: number) => void;
}

function citationButton(doc: Document, n: number, onCite?: (n: number) => void): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'cite';
  button.dataset.testid = 'bubble-citation';
  button.dataset.n = String(n);
  button.textContent = `[${n}]`;
  button.addEventListener('click', () => onCite?.(n));
  return button;
}

/** The allow-list once more, after DOMPurify: any element not on it is replaced by its text, and only
 * a link's href survives. A no-op where DOMPurify did its job; a floor wherever it didn't. */
function enforceAllowList(root: DocumentFragment): void {
  const allowed = new Set(ALLOWED_TAGS.map((t) => t.toUpperCase()));
  for (const node of [...root.querySelectorAll('*')]) {
    if (!node.isConnected && !root.contains(node)) continue;
    if (!allowed.has(node.tagName)) {
      node.replaceWith(node.ownerDocument.createTextNode(node.textContent ?? ''));
      continue;
    }
    for (const attr of [...node.attributes]) {
      const keep = node.tagName === 'A' && (attr.name === 'href' ? /^https?:\/\//i.test(attr.value) : attr.name === 'target' || attr.name === 'rel');
      if (!keep) node.removeAttribute(attr.name);
    }
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  }
}

/** Replaces `[n]` in text nodes (outside code) with citation buttons. */
function linkCitations(root: DocumentFragment | HTMLElement, options: RenderOptions): void {
  if (options.sources === 0) return;
  const doc = root.ownerDocument ?? document;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!(n.parentElement?.closest('code, pre, a'))) nodes.push(n as Text);
  }
  for (const node of nodes) {
    const text = node.data;
    const re = /\[(\d{1,2})\]/g;
    let last = 0;
    const out: Node[] = [];
    for (const m of text.matchAll(re)) {
      const n = Number(m[1]);
      if (n < 1 || n > options.sources) continue;
      if (m.index > last) out.push(doc.createTextNode(text.slice(last, m.index)));
      out.push(citationButton(doc, n, options.onCite));
      last = m.index + m[0].length;
    }
    if (out.length === 0) continue;
    if (last < text.length) out.push(doc.createTextNode(text.slice(last)));
    node.replaceWith(...out);
  }
}

/** Fills `target` with the rendered answer (replacing what was there). Returns 'markdown' or 'text'. */
export function renderAnswer(target: HTMLElement, answer: string, options: RenderOptions): 'markdown' | 'text' {
  if (answer.length > MAX_MARKDOWN_CHARS) {
    target.textContent = answer;
    target.dataset.format = 'text';
    return 'text';
  }
  const html = md.render(answer);
  const fragment = purify().sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: ['href'], RETURN_DOM_FRAGMENT: true });
  enforceAllowList(fragment);
  linkCitations(fragment, options);
  target.replaceChildren(fragment);
  target.dataset.format = 'markdown';
  return 'markdown';
}
