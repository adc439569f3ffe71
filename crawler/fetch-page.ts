import { USER_AGENT } from './robots';

/**
 * One page fetch with the limits a polite, sturdy crawler needs: redirects followed by hand (so a loop
 * or a hop off the site is seen, not followed forever), a time limit, a size limit enforced while
 * streaming (a 10 MB page is cut off after the limit, not downloaded), and non-HTML answers dropped
 * before their body is read.
 */
export type SkipReason =
  | 'robots'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'off-site-redirect'
  | 'too-large'
  | 'timeout'
  | 'not-html'
  | 'http-error'
  | 'network'
  | 'duplicate-url'
  | 'duplicate-content'
  | 'noindex'
  | 'not-readable'
  | 'empty'
  | 'error';

export type FetchResult =
  | { ok: true; url: string; status: number; html: string }
  | { ok: false; url: string; status: number; skipped: SkipReason };

export interface FetchOptions {
  /** @default 20000 */
  timeoutMs?: number;
  /** @default 5 MiB */
  maxBytes?: number;
  /** @default 5 */
  maxRedirects?: number;
  /** A redirect target outside the crawl's scope is not followed. */
  inScope?: (url: string) => boolean;
  signal?: AbortSignal;
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

export async function fetchPage(url: string, fetchFn: typeof fetch, options: FetchOptions = {}): Promise<FetchResult> {
  const { timeoutMs = 20_000, maxBytes = 5 * 1024 * 1024, maxRedirects = 5, inScope = () => true, signal } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const visited = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    visited.add(current);
    let res: Response | null = null;
    // One retry after a connection failure: a kept-alive socket the server closed at the same moment is
    // an everyday race, not a dead page.
    for (let attempt = 0; !res; attempt++) {
      try {
        res = await fetchFn(current, { redirect: 'manual', headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml' }, signal: combined });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (timeout.aborted || attempt >= 1) return { ok: false, url: current, status: 0, skipped: timeout.aborted ? 'timeout' : 'network' };
      }
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      const next = new URL(res.headers.get('location')!, current).toString();
      if (visited.has(next)) return { ok: false, url: current, status: res.status, skipped: 'redirect-loop' };
      if (hop + 1 > maxRedirects) return { ok: false, url: current, status: res.status, skipped: 'too-many-redirects' };
      if (!inScope(next)) return { ok: false, url: next, status: res.status, skipped: 'off-site-redirect' };
      current = next;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, url: current, status: res.status, skipped: 'http-error' };
    }
    if (!HTML_TYPES.test(res.headers.get('content-type') ?? '')) {
      await res.body?.cancel();
      return { ok: false, url: current, status: res.status, skipped: 'not-html' };
    }
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel();
      return { ok: false, url: current, status: res.status, skipped: 'too-large' };
    }
    try {
      const html = await readCapped(res, maxBytes);
      if (html === null) return { ok: false, url: current, status: res.status, skipped: 'too-large' };
      return { ok: true, url: current, status: res.status, html };
    } catch (error) {
      if (signal?.aborted) throw error;
      return { ok: false, url: current, status: res.status, skipped: timeout.aborted ? 'timeout' : 'network' };
    }
  }
}

/** The body as text, or null as soon as it passes `maxBytes` (the rest is never downloaded). */
async function readCapped(res: Response, maxBytes: number): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
