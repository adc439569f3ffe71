import type { KeywordFilters, KeywordIndex, KeywordResult } from './keyword-index';
import { vectorSearch } from '@/ai/offscreen-client';
import { hybridSearch } from './retrieve';

/**
 * The side panel's hook into search by meaning: the hybrid ranking (the keyword index's ranking list,
 * fused with the offscreen document's seeded vector list), with the instant keyword results already
 * shown following it. Resolves null when there is nothing to add (no query, only saved searches wanted,
 * not inside the extension, the offscreen document could not answer), so the caller keeps its keyword
 * results — search never breaks because the AI part did. When the offscreen document could not answer,
 * `unavailable` hears why, so the panel can say its list is keyword matches only.
 */
export async function semanticResults(
  query: string,
  filters: KeywordFilters,
  index: Pick<KeywordIndex, 'rank'>,
  instant: readonly KeywordResult[],
  unavailable?: (reason: string) => void,
): Promise<KeywordResult[] | null> {
  if (!query.trim() || filters.kind === 'search') return null;
  if (typeof chrome === 'undefined' || !chrome.runtime?.id) return null;
  try {
    return await hybridSearch(query, filters, {
      rankKeywords: (q, f, limit) => index.rank(q, f, limit),
      searchVectors: (q, k, f, feedback) => vectorSearch(q, k, f, feedback),
      instant,
    });
  } catch (error) {
    console.warn('search by meaning unavailable', error);
    unavailable?.(error instanceof Error ? error.message : String(error));
    return null;
  }
}
