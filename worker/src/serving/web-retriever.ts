import type { Passage, Retriever } from '../../../shared/serving/types';
import type { Env } from '../env';
import { selectSearchProvider } from '../web-search/providers';
import { webSearch } from '../web-search/web-search';

/** Whether this worker has a web search provider configured (the plan says so when it has none). */
export function webSearchConfigured(env: Env): boolean {
  try {
    selectSearchProvider(env);
    return true;
  } catch {
    return false;
  }
}

/**
 * The web as a retriever (only made when webSearchConfigured): the web-search module directly (its cache, the user's quota, robots-checked
 * page reading), one search for the plan's first query. A result whose page was read gives its text;
 * the others give their snippet.
 */
export function webRetriever(env: Env, userId: string, budgetMs: number, count = 5): Retriever {
  const provider = selectSearchProvider(env).name;
  return {
    origin: 'web',
    label: `web search (${provider === 'searxng' ? 'SearXNG' : 'Brave Search'})`,
    budgetMs,
    async retrieve(queries, signal) {
      const response = await webSearch(env, userId, queries[0]!.slice(0, 400), count, Date.now(), signal);
      return response.results
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
    },
  };
}
