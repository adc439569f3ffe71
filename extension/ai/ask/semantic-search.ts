import type { KeywordFilters, KeywordResult } from '@/search/keyword-index';
import { vectorSearch } from '../offscreen-client';
import { hybridSearch } from './retrieve';

/**
 * The side panel's hook into search by meaning: keyword results in, hybrid results out. Resolves null
 * when there is nothing to add (no query, not inside the extension, the offscreen document could not
 * answer), so the caller keeps its keyword results — search never breaks because the AI part did.
 */
export async function semanticResults(query: string, filters: KeywordFilters, keyword: readonly KeywordResult[]): Promise<KeywordResult[] | null> {
  if (!query.trim() || filters.kind === 'search') return null;
  if (typeof chrome === 'undefined' || !chrome.runtime?.id) return null;
  try {
    return await hybridSearch(query, filters, keyword, (q, k, f) => vectorSearch(q, k, f));
  } catch (error) {
    console.warn('search by meaning unavailable', error);
    return null;
  }
}
