import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import type { KeywordDocument } from './keyword-document';

/**
 * The instant list: what the side panel shows on every keystroke, before the hybrid ranking answers.
 * MiniSearch, because typing wants what a ranking index doesn't do — a half-typed last word matching by
 * prefix, and a typo still finding the word (fuzzy). Every term must match, falling back to any term
 * when that finds nothing. `npm run bench -- latency` measures it beside the ranking index.
 */

export const INSTANT_INDEX_OPTIONS: Options<KeywordDocument> = {
  idField: 'id',
  fields: ['title', 'text', 'note'],
  storeFields: ['kind', 'key', 'title', 'url', 'site', 'date', 'color', 'note', 'anchorStatus', 'snippetSource'],
};

/** One instant query; `accept` filters by stored fields (the side panel's filters). */
export function instantSearch<T>(ms: MiniSearch<T>, query: string, accept: (stored: Record<string, unknown>) => boolean = () => true): SearchResult[] {
  const options = (combineWith: 'AND' | 'OR') => ({
    boost: { title: 3, note: 2, text: 1 },
    prefix: (term: string) => term.length >= 2,
    fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
    combineWith,
    filter: accept,
  });
  const all = ms.search(query, options('AND'));
  return all.length ? all : ms.search(query, options('OR'));
}
