import { WebSearchResponse } from '../../../shared/schemas/web-search';

/**
 * The web half of "Find references": the user's worker searches the web (POST /v1/web-search, the
 * worker's own provider — SearXNG or Brave) and the results become sources labelled `web`. It runs
 * only when the privacy setting allows the worker and this device is paired with one; every other
 * outcome is a status with a sentence the bubble shows, so the person knows whether the web was
 * searched and why not. (Relative import of the schema: the worker's tests run this client in workerd
 * against the real route, so it imports nothing through the extension's path aliases.)
 */

/** A web result as a source an answer cites (the shape of the engines' AskSource, kind 'web'). */
export interface WebSource {
  n: number;
  id: string;
  kind: 'web';
  sourceId: string;
  url: string;
  title: string;
  site: string;
  text: string;
}

export interface WebSearchConfig {
  /** The AI privacy setting: only 'allow-worker' lets the selection leave the device. */
  privacy: string;
  /** The paired worker, or null when this device has no account. */
  baseUrl: string | null;
  token: string | null;
}

export type WebOutcome =
  | { status: 'found'; provider: string; sources: WebSource[]; message: string }
  | { status: 'local-only' | 'unpaired' | 'no-provider' | 'failed'; message: string };

/** Marks a web result's title, here and in the prompt (the find-references template relies on it). */
export const WEB_TITLE_PREFIX = 'Web: ';
/** Results asked for; each becomes a numbered source. */
export const WEB_RESULTS = 5;
const MAX_QUERY = 400;
const MAX_SOURCE_TEXT = 4_000;

/** The selection as a query the search API takes: whitespace folded, cut at a word boundary. */
export function webQueryOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_QUERY) return flat;
  const cut = flat.slice(0, MAX_QUERY);
  const space = cut.lastIndexOf(' ');
  return space > MAX_QUERY / 2 ? cut.slice(0, space) : cut;
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    return { code: body.error?.code ?? '', message: body.error?.message ?? '' };
  } catch {
    return { code: '', message: '' };
  }
}

export async function searchWebReferences(
  text: string,
  config: WebSearchConfig,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<WebOutcome> {
  if (config.privacy !== 'allow-worker') return { status: 'local-only', message: 'The web was not searched: your privacy setting is “local only”, so the selection stays on this device.' };
  if (!config.baseUrl || !config.token) return { status: 'unpaired', message: 'The web was not searched: this device is not paired with a worker (Options → Sync).' };
  const q = webQueryOf(text);
  if (!q) return { status: 'failed', message: 'The web was not searched: there is no text to search for.' };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(new URL('/v1/web-search', config.baseUrl).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.token}` },
      body: JSON.stringify({ q, count: WEB_RESULTS }),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    return { status: 'failed', message: `The web was not searched: could not reach the worker at ${config.baseUrl}.` };
  }
  if (!response.ok) {
    const { code, message } = await errorOf(response);
    if (code === 'provider_unavailable') {
      return { status: 'no-provider', message: `The web was not searched: your worker has no web search provider configured${message ? ` (${message})` : ''}.` };
    }
    if (response.status === 429) return { status: 'failed', message: `The web was not searched: the worker’s web search quota is used up for now${message ? ` (${message})` : ''}.` };
    return { status: 'failed', message: `The web search failed (HTTP ${response.status}${message ? `: ${message}` : ''}).` };
  }
  const parsed = WebSearchResponse.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return { status: 'failed', message: 'The web search failed: the worker’s answer was not understood.' };
  const sources: WebSource[] = parsed.data.results.map((r) => {
    let site = '';
    try {
      site = new URL(r.url).hostname;
    } catch {
      // The schema already requires a URL; a host is only a label.
    }
    // The title says "Web:" so the model (and anyone reading the prompt) can tell it from the user's own reading.
    return { n: r.n, id: `web:${r.url}`, kind: 'web', sourceId: r.url, url: r.url, title: `${WEB_TITLE_PREFIX}${r.title || site}`, site, text: [r.snippet, r.text].filter(Boolean).join('\n\n').slice(0, MAX_SOURCE_TEXT) };
  });
  const found = sources.length ? `${sources.length} web result${sources.length === 1 ? '' : 's'} (${parsed.data.provider}${parsed.data.cached ? ', cached' : ''})` : `no web results (${parsed.data.provider})`;
  return { status: 'found', provider: parsed.data.provider, sources, message: `Also searched the web through your worker: ${found}.` };
}
