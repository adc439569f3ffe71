import { type WebSearchResponse, type WebSearchResult } from '../../../shared/schemas/web-search';
import { spend } from '../billing/entitlements';
import type { Env } from '../env';
import { intVar } from '../env';
import { ApiError } from '../http/errors';
import { cacheKey, readCached, writeCached } from './cache';
import { SearchProviderError, selectSearchProvider } from './providers';
import { readResultPage } from './read-result-page';

export const DEFAULT_COUNT = 5;
const PROVIDER_TIMEOUT_MS = 8_000;
/** Per page, robots.txt included; the pages are fetched in parallel, so this bounds the whole step. */
const PAGE_TIMEOUT_MS = 5_000;

/** Searches the web for one user: the cache first (free), else one quota unit and a provider call,
 * then the top few pages read. Quota is given back when the provider fails. */
export async function webSearch(env: Env, userId: string, q: string, count = DEFAULT_COUNT, now = Date.now(), signal?: AbortSignal): Promise<WebSearchResponse> {
  const provider = selectSearchProvider(env);
  const key = await cacheKey(provider.name, count, q);
  // A TTL of 0 turns the cache off: nothing is read from it or written to it.
  const ttlMs = Math.max(0, intVar(env.WEB_SEARCH_CACHE_TTL_SECONDS, 3600)) * 1000;
  const hit = ttlMs > 0 ? await readCached(env.DB, key, now) : null;
  if (hit) return { ...hit, cached: true };

  const grant = await spend(env, userId, 'webSearches');
  let raw;
  try {
    // The caller's signal (the pipeline's budget for the web) ends the search early too.
    const timeout = AbortSignal.timeout(PROVIDER_TIMEOUT_MS);
    raw = await provider.search(q, count, signal ? AbortSignal.any([timeout, signal]) : timeout);
  } catch (error) {
    await grant.release();
    if (signal?.aborted) throw error;
    const why = error instanceof SearchProviderError ? error.message : (error as Error)?.name === 'TimeoutError' ? `no answer within ${PROVIDER_TIMEOUT_MS} ms` : String(error);
    throw new ApiError('provider_error', `web search failed (${provider.name}): ${why}`);
  }

  const top = Math.max(0, Math.min(5, intVar(env.WEB_SEARCH_FETCH_TOP, 3)));
  const texts = await Promise.all(raw.slice(0, top).map((r) => readResultPage(r.url, PAGE_TIMEOUT_MS, signal)));
  const results: WebSearchResult[] = raw.map((r, i) => ({ n: i + 1, title: r.title, url: r.url, snippet: r.snippet, ...(texts[i] ? { text: texts[i]! } : {}) }));
  const body: WebSearchResponse = { results, provider: provider.name, cached: false };
  if (ttlMs > 0) await writeCached(env.DB, key, body, now, ttlMs);
  return body;
}
