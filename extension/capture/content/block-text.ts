/**
 * The text of a DOM subtree with the breaks its layout implies: a line break between block elements
 * (paragraphs, headings, list items, table cells…) and at <br>, where `textContent` simply glues the
 * text nodes together — `<p>…defenders.</p><p>On Behalf…</p>` read as "defenders.On Behalf", which
 * made one word of two for search and showed so in snippets. No layout is involved (a background tab
 * or a test DOM has none), so the break follows the element's name, not its computed style.
 */

const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET',
  'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV',
  'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
]);
/** Never text: their contents are code or styling. */
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);

export function blockText(root: Node): string {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3 /* TEXT_NODE */) {
      out.push(node.nodeValue ?? '');
      return;
    }
    if (node.nodeType !== 1 /* ELEMENT_NODE */ && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeType === 1 ? (node as Element).tagName.toUpperCase() : '';
    if (SKIPPED.has(name)) return;
    if (name === 'BR') {
      out.push('\n');
      return;
    }
    const block = BLOCKS.has(name);
    if (block) out.push('\n');
    for (let c = node.firstChild; c; c = c.nextSibling) walk(c);
    // Table cells sit side by side: a space is enough between them.
    if (block) out.push(name === 'TD' || name === 'TH' ? ' ' : '\n');
  };
  walk(root);
  return out.join('');
}
