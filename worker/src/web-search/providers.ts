import type { Env } from '../env';
import { ApiError } from '../http/errors';

/** One hit as a provider lists it, before any page is fetched. */
export interface RawResult {
  title: string;
  url: string;
  snippet: string;
}

export interface WebSearchProvider {
  readonly name: 'searxng' | 'brave';
  search(q: string, count: number, signal: AbortSignal): Promise<RawResult[]>;
}

/** A provider that answered badly or not at all: the route turns it into 502 and gives the quota back. */
export class SearchProviderError extends Error {}

const MAX_PROVIDER_BYTES = 2 * 1024 * 1024;

async function providerJson(response: Response, who: string): Promise<unknown> {
  if (!response.ok) throw new SearchProviderError(`${who} answered HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_PROVIDER_BYTES) throw new SearchProviderError(`${who} answered more than ${MAX_PROVIDER_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new SearchProviderError(`${who} did not answer JSON`);
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Keeps only http(s) URLs: a result is something the user can open, and the worker may fetch. */
function webUrl(value: unknown): string | null {
  try {
    const url = new URL(str(value));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Brave wraps matches in <strong>; SearXNG sometimes leaves entities. Snippets are shown as text. */
function plain(value: unknown): string {
  return str(value)
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

function collect(items: unknown, count: number, pick: (item: Record<string, unknown>) => { title: unknown; url: unknown; snippet: unknown }): RawResult[] {
  if (!Array.isArray(items)) return [];
  const seen = new Set<string>();
  const out: RawResult[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const fields = pick(item as Record<string, unknown>);
    const url = webUrl(fields.url);
    if (!url || url.length > 2048 || seen.has(url)) continue;
    seen.add(url);
    out.push({ url, title: plain(fields.title).slice(0, 500) || url.slice(0, 500), snippet: plain(fields.snippet).slice(0, 2000) });
    if (out.length >= count) break;
  }
  return out;
}

/** A self-hosted SearXNG (`search.formats` must include json in its settings.yml). */
export class SearxngProvider implements WebSearchProvider {
  readonly name = 'searxng';
  constructor(private readonly base: string) {}

  async search(q: string, count: number, signal: AbortSignal): Promise<RawResult[]> {
    const url = new URL('search', this.base.endsWith('/') ? this.base : `${this.base}/`);
    url.searchParams.set('q', q);
    url.searchParams.set('format', 'json');
    const body = (await providerJson(await fetch(url, { signal, headers: { accept: 'application/json' } }), 'SearXNG')) as { results?: unknown };
    return collect(body.results, count, (r) => ({ title: r.title, url: r.url, snippet: r.content }));
  }
}

/** The Brave Search API (web search endpoint). */
export class BraveProvider implements WebSearchProvider {
  readonly name = 'brave';
  constructor(
    private readonly key: string,
    private readonly base = 'https://api.search.brave.com',
  ) {}

  async search(q: string, count: number, signal: AbortSignal): Promise<RawResult[]> {
    const url = new URL('/res/v1/web/search', this.base);
    url.searchParams.set('q', q);
    url.searchParams.set('count', String(count));
    const response = await fetch(url, { signal, headers: { accept: 'application/json', 'x-subscription-token': this.key } });
    const body = (await providerJson(response, 'Brave Search')) as { web?: { results?: unknown } };
    return collect(body.web?.results, count, (r) => ({ title: r.title, url: r.url, snippet: r.description }));
  }
}

export const NO_PROVIDER_MESSAGE =
  'web search is not configured on this server (set SEARXNG_URL or the BRAVE_SEARCH_KEY secret); answers come from your memory only';

/** The configured provider, or 503 provider_unavailable saying how to configure one. */
export function selectSearchProvider(env: Env): WebSearchProvider {
  const choice = (env.WEB_SEARCH_PROVIDER ?? '').trim().toLowerCase();
  if (choice === 'none') throw new ApiError('provider_unavailable', NO_PROVIDER_MESSAGE);
  if ((choice === 'searxng' || choice === '') && env.SEARXNG_URL) return new SearxngProvider(env.SEARXNG_URL);
  if ((choice === 'brave' || choice === '') && env.BRAVE_SEARCH_KEY) return new BraveProvider(env.BRAVE_SEARCH_KEY, env.BRAVE_SEARCH_BASE || undefined);
  if (choice && choice !== 'searxng' && choice !== 'brave') throw new ApiError('provider_unavailable', `unknown WEB_SEARCH_PROVIDER "${choice}" (searxng, brave or none)`);
  throw new ApiError('provider_unavailable', NO_PROVIDER_MESSAGE);
}
