import { XMLParser } from 'fast-xml-parser';
import { USER_AGENT } from './robots';

/**
 * Sitemaps (sitemaps.org): a `urlset` lists pages, a `sitemapindex` lists more sitemaps. Read with
 * fast-xml-parser; nested indexes are followed up to a bound so a sitemap that lists itself, or millions
 * of files, can't keep the crawl busy.
 */
const MAX_SITEMAPS = 50;
const MAX_BYTES = 10 * 1024 * 1024;

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, isArray: (name) => name === 'url' || name === 'sitemap' });

export function parseSitemap(xml: string): { pages: string[]; sitemaps: string[] } {
  let doc: Record<string, any>;
  try {
    doc = parser.parse(xml) as Record<string, any>;
  } catch {
    return { pages: [], sitemaps: [] };
  }
  const locs = (list: unknown): string[] =>
    (Array.isArray(list) ? list : []).map((e) => (typeof e?.loc === 'string' ? e.loc.trim() : '')).filter(Boolean);
  return { pages: locs(doc.urlset?.url), sitemaps: locs(doc.sitemapindex?.sitemap) };
}

export async function readSitemaps(start: readonly string[], fetchFn: typeof fetch, signal?: AbortSignal): Promise<string[]> {
  const queue = [...start];
  const seen = new Set<string>();
  const pages: string[] = [];
  while (queue.length && seen.size < MAX_SITEMAPS) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    try {
      const res = await fetchFn(url, { headers: { 'user-agent': USER_AGENT }, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(20_000)]) : AbortSignal.timeout(20_000) });
      if (!res.ok) continue;
      const text = await res.text();
      if (text.length > MAX_BYTES) continue;
      const found = parseSitemap(text);
      pages.push(...found.pages);
      queue.push(...found.sitemaps);
    } catch (error) {
      if (signal?.aborted) throw error;
      // A missing or broken sitemap only means fewer seeds: links still lead to the pages.
    }
  }
  return pages;
}
