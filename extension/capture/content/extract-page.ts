import { Readability, isProbablyReaderable } from '@mozilla/readability';
import { blockText } from './block-text';
import { measureDom, type DomMeasures } from '../../../shared/signals/dom-measures';

/**
 * The readable text of a page, extracted with Mozilla's Readability from a clone of the document (so
 * the live page is never touched). What people type is never captured: form fields, editors and
 * anything contenteditable are removed from the clone before extraction.
 */

/** Past this many elements a page is an app or a data dump, not an article: cloning and parsing it
 * would freeze the tab, so its text is skipped (the visit is still recorded). */
export const MAX_ELEMENTS = 60_000;
/** Up to this many elements a page is read even when Readability doesn't think it an article: such a
 * page is cheap to parse and its few paragraphs are all the text it has (short notes, simple pages).
 * Larger pages that aren't articles (apps, feeds, dashboards) are skipped. */
export const SMALL_DOCUMENT_ELEMENTS = 1_500;
/** Characters of text kept per page (the background enforces the same cap). */
export const MAX_TEXT_CHARS = 100_000;

export interface ExtractedPage {
  title: string;
  text: string;
  excerpt: string;
  byline: string;
  siteName: string;
  lang: string;
  truncated: boolean;
  /** Link, hidden and total text counts of the live document, for the content signals (issue 14). */
  dom: DomMeasures;
}

export type ExtractResult = { page: ExtractedPage } | { skipped: 'too-large' | 'not-readable' | 'empty' };

/** Elements whose contents are user input (typed values, drafts) rather than the page's text. */
const INPUT_SELECTOR = [
  'input',
  'textarea',
  'select',
  'option',
  'datalist',
  'output',
  '[contenteditable]:not([contenteditable="false"])',
  '[role="textbox"]',
  '[role="combobox"]',
  '[role="searchbox"]',
].join(',');

/** Removes every form field and editable region from a (cloned) document. */
export function stripUserInput(doc: Document): void {
  for (const el of Array.from(doc.querySelectorAll(INPUT_SELECTOR))) el.remove();
}

/** Collapses the whitespace Readability leaves from the source markup, keeping paragraph breaks. */
export function tidyText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Counts elements up to `limit + 1` and stops there: on a page with millions of nodes, learning that
 * it is too big must not cost a walk over all of them. */
export function countElements(doc: Document, limit: number): number {
  const root = doc.documentElement;
  if (!root) return 0;
  const walker = doc.createTreeWalker(root, 1 /* NodeFilter.SHOW_ELEMENT */);
  let count = 1;
  while (count <= limit && walker.nextNode()) count++;
  return count;
}

export function extractPage(doc: Document, options: { maxElements?: number; maxChars?: number } = {}): ExtractResult {
  const maxElements = options.maxElements ?? MAX_ELEMENTS;
  const maxChars = options.maxChars ?? MAX_TEXT_CHARS;
  const elements = countElements(doc, maxElements);
  if (elements > maxElements) return { skipped: 'too-large' };
  if (elements > SMALL_DOCUMENT_ELEMENTS && !isProbablyReaderable(doc)) return { skipped: 'not-readable' };

  const clone = doc.cloneNode(true) as Document;
  stripUserInput(clone);
  let article: ReturnType<Readability<string>['parse']>;
  try {
    // The article element is serialised as its text with block breaks (see block-text.ts).
    article = new Readability(clone, { maxElemsToParse: maxElements, serializer: blockText }).parse();
  } catch {
    return { skipped: 'too-large' }; // Readability throws past maxElemsToParse
  }
  // `content` (block breaks kept), not `textContent`: that glues adjacent blocks' words together.
  const text = tidyText(article?.content ?? '');
  if (!article || !text) return { skipped: 'empty' };
  const truncated = text.length > maxChars;
  return {
    page: {
      title: (article.title || doc.title || '').trim().slice(0, 4096),
      text: truncated ? text.slice(0, maxChars) : text,
      excerpt: tidyText(article.excerpt ?? '').slice(0, 4000),
      byline: tidyText(article.byline ?? '').slice(0, 4096),
      siteName: tidyText(article.siteName ?? '').slice(0, 4096),
      lang: (article.lang || doc.documentElement?.getAttribute('lang') || '').trim().slice(0, 64),
      truncated,
      dom: measureDom(doc),
    },
  };
}
