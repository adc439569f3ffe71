import type { WebSearchRequest, WebSearchResponse } from '@shared/schemas/web-search';
import type { Passage, Retriever } from '@shared/serving/types';
import { pageSources } from '../chat/page-context';

/**
 * "The web": the worker's POST /v1/web-search. A result the worker read comes with the page's text;
 * its passages sharing the most words with the query are what an answer can cite (a whole article
 * would crowd out every other source). A result without text is cited by its snippet.
 */

export type WebSearch = (request: WebSearchRequest, signal: AbortSignal) => Promise<WebSearchResponse>;

/** How many results to ask for, and passages kept per fetched page. */
const RESULTS = 5;
const PASSAGES_PER_PAGE = 2;

/** The worker's refusal in the words a person reads in the trace. */
export class WebSearchUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebSearchUnavailable';
  }
}

export function webPassages(response: WebSearchResponse, query: string): Passage[] {
  const out: Passage[] = [];
  const count = response.results.length;
  for (const r of response.results) {
    const base = { origin: 'web' as const, kind: 'web' as const, sourceId: r.url, url: r.url, title: r.title || r.url };
    // Rank decides between results; within one page its passages follow the page's order of relevance.
    const rankScore = count > 0 ? 1 - (r.n - 1) / count : 0;
    const text = r.text?.trim();
    if (text) {
      const found = pageSources({ url: r.url, title: r.title, text }, query, PASSAGES_PER_PAGE);
      found.forEach((s, i) => out.push({ ...base, id: `${r.url}#p${s.id.split('#p').at(-1) ?? i}`, text: s.text, score: rankScore - i * 0.01 }));
    } else if (r.snippet.trim()) {
      out.push({ ...base, id: r.url, text: r.snippet.trim(), score: rankScore - 0.005 });
    }
  }
  return out;
}

export function webRetriever(search: WebSearch, options: { budgetMs?: number } = {}): Retriever {
  return {
    origin: 'web',
    label: 'web search through your worker',
    budgetMs: options.budgetMs ?? 15_000,
    async retrieve(queries, signal) {
      // One search per answer: each one spends the plan's web-search quota.
      const query = queries[0] ?? '';
      let response: WebSearchResponse;
      try {
        response = await search({ q: query.slice(0, 400), count: RESULTS }, signal);
      } catch (error) {
        const e = error as { code?: string; status?: number; message?: string };
        if (e.code === 'provider_unavailable') throw new WebSearchUnavailable(`the worker has no web search provider (${e.message ?? 'not configured'})`);
        if (e.status === 429) throw new WebSearchUnavailable(`the web-search quota of your plan is used up (${e.message ?? 'HTTP 429'})`);
        throw error;
      }
      return webPassages(response, query);
    },
  };
}
