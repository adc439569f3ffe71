import { Parser } from 'htmlparser2';

/**
 * Plain text of an HTML fragment from an export or an API (Memex stores highlight bodies as HTML,
 * Omnivore and MediaWiki send article HTML): block elements become line breaks, scripts and styles are
 * dropped, entities decoded by the parser. No DOM needed, so it runs in the service worker and in Node.
 */
const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'tr', 'table', 'section', 'article', 'header', 'footer', 'figure', 'figcaption', 'dd', 'dt', 'hr']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);

export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  let out = '';
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipping++;
        else if (BLOCK.has(name)) out += '\n';
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipping = Math.max(0, skipping - 1);
        // A line break is one break (the parser closes void elements too).
        else if (BLOCK.has(name) && name !== 'br' && name !== 'hr') out += '\n';
      },
      ontext(text) {
        if (!skipping) out += text;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
