import type { WebSearchResult } from '../schemas/web-search';
import type { Passage } from './types';

/**
 * Web search results (the worker's /v1/web-search shape) as passages: a result whose page was read
 * gives its text, the others their snippet; rank 1 scores highest. The worker's web retriever and an
 * extension retriever calling /v1/web-search both use this, so a web source looks the same either way.
 */
export function webPassages(results: readonly WebSearchResult[]): Passage[] {
  return results
    .map(
      (r): Passage => ({
        origin: 'web',
        kind: 'web',
        id: r.url,
        sourceId: r.url,
        url: r.url,
        title: r.title,
        text: r.text || r.snippet,
        score: 1 / r.n,
      }),
    )
    .filter((p) => p.text.trim().length > 0);
}
