import markdownIt, { type MarkdownIt, type StateInline } from 'markdown-it';
import DOMPurify from 'dompurify';
import { UNSUPPORTED_MARK } from '@/assistant/grounding/citation-flags';

/**
 * Model output → safe HTML. Model output is untrusted (a page it read may have told it to emit
 * markup), so two independent layers: markdown-it with raw HTML off (tags in the text come out as
 * text) and only http(s) links, then DOMPurify on the result with a short allow-list, every link forced
 * to open in a new tab with rel=noopener. Citations [n] that point at a real source become buttons
 * (data-cite) the chat handles by delegation — no inline handlers anywhere.
 */

const SAFE_URL = /^https?:\/\//i;
const CITATION_AT = new RegExp(`^\\[(\\d{1,2})(${UNSUPPORTED_MARK})?\\]`);

function citationRule(state: StateInline, silent: boolean): boolean {
  const env = state.env as { sourceCount?: number };
  if (state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
  // A citation the verifier flagged carries UNSUPPORTED_MARK before its `]` (citation-flags.ts).
  const m = CITATION_AT.exec(state.src.slice(state.pos, state.pos + 5));
  if (!m) return false;
  const n = Number(m[1]);
  if (n < 1 || n > (env.sourceCount ?? 0)) return false;
  if (!silent) {
    const token = state.push('citation', '', 0);
    token.meta = { n, unsupported: Boolean(m[2]) };
  }
  state.pos += m[0].length;
  return true;
}

function createParser(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: false, typographer: false, breaks: true });
  md.validateLink = (url: string) => SAFE_URL.test(url.trim());
  md.inline.ruler.before('link', 'citation', citationRule);
  md.renderer.rules.citation = (tokens, idx) => {
    const meta = tokens[idx]!.meta as { n: number; unsupported: boolean };
    // Attributes are set after sanitising (finish()): only the class needs to survive DOMPurify.
    return `<button class="cite${meta.unsupported ? ' cite-unsupported' : ''}">${Number(meta.n)}</button>`;
  };
  return md;
}

let parser: MarkdownIt | undefined;
let purifier: ReturnType<typeof DOMPurify> | undefined;

function getPurifier(): ReturnType<typeof DOMPurify> {
  purifier ??= DOMPurify(window);
  return purifier;
}

/**
 * After sanitising, on an inert <template>: every link opens in a new tab without a handle on this
 * page, and each citation button gets its number and test id — from its own text, checked against the
 * source count, so nothing the model wrote can set them. (Not in DOMPurify hooks or attribute lists:
 * those behaved differently across DOM implementations; this runs the same everywhere.)
 */
function finish(html: string, sourceCount: number, verified: boolean): string {
  if (!html.includes('<a') && !html.includes('<button')) return html;
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const b of template.content.querySelectorAll('button')) {
    const n = Number(b.textContent);
    if (!b.classList.contains('cite') || !Number.isInteger(n) || n < 1 || n > sourceCount) {
      b.replaceWith(document.createTextNode(b.textContent ?? ''));
      continue;
    }
    b.setAttribute('type', 'button');
    b.setAttribute('data-cite', String(n));
    b.setAttribute('data-testid', 'assistant-citation');
    if (verified) {
      const supported = !b.classList.contains('cite-unsupported');
      b.setAttribute('data-supported', String(supported));
      if (!supported) b.setAttribute('title', UNSUPPORTED_TITLE);
    } else b.classList.remove('cite-unsupported');
  }
  for (const a of template.content.querySelectorAll('a')) {
    if (!SAFE_URL.test(a.getAttribute('href') ?? '')) a.removeAttribute('href');
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
  return template.innerHTML;
}

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'button'];
const ALLOWED_ATTR = ['href', 'class', 'start', 'title'];

export const UNSUPPORTED_TITLE = 'the cited passage does not support this sentence';

/**
 * Markdown → sanitised HTML; `[n]` with 1 ≤ n ≤ sourceCount becomes a citation button. `verified`: the
 * text went through markUnsupported, so every citation says whether its passage supports its sentence.
 */
export function renderMarkdown(text: string, sourceCount: number, verified = false): string {
  parser ??= createParser();
  const html = parser.render(verified ? text : text.replaceAll(UNSUPPORTED_MARK, ''), { sourceCount });
  const clean = getPurifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOWED_URI_REGEXP: /^https?:\/\//i,
  });
  return finish(clean, sourceCount, verified);
}
