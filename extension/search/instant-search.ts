import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import type { KeywordDocument } from './keyword-document';

/**
 * The instant list: what the side panel shows on every keystroke, before the hybrid ranking answers.
 * MiniSearch, because typing wants what a ranking index doesn't do — a half-typed last word matching by
 * prefix, and a typo still finding the word (fuzzy). `npm run bench -- latency` measures it beside the ranking index.
 */

export const INSTANT_INDEX_OPTIONS: Options<KeywordDocument> = {
  idField: 'id',
  fields: ['title', 'text', 'note'],
  storeFields: ['kind', 'key', 'title', 'url', 'site', 'date', 'color', 'note', 'anchorStatus', 'snippetSource', 'prior', 'spam'],
};

/**
 * One instant query; `accept` filters by stored fields (the side panel's filters). Tried from cheap to
 * costly, stopping at the first that finds anything: every term (as a word or a word's start), then
 * every term allowing a typo, then any term. Typo matching walks the whole term tree for every word, so
 * it runs only when the exact words found nothing — the common keystroke stays cheap at 100k documents.
 */
export function instantSearch<T>(ms: MiniSearch<T>, query: string, accept: (stored: Record<string, unknown>) => boolean = () => true): SearchResult[] {
  const options = (combineWith: 'AND' | 'OR', typos: boolean) => ({
    boost: { title: 3, note: 2, text: 1 },
    prefix: (term: string) => term.length >= 2,
    fuzzy: typos ? (term: string) => (term.length >= 5 ? 0.2 : false) : false,
    combineWith,
    filter: accept,
  });
  for (const [combineWith, typos] of [['AND', false], ['AND', true], ['OR', true]] as const) {
    const found = ms.search(query, options(combineWith, typos));
    if (found.length) return found;
  }
  return [];
}
