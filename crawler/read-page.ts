import { parseHTML } from 'linkedom';
import { extractPage, type ExtractedPage } from '../extension/capture/content/extract-page';
import type { SkipReason } from './fetch-page';

/**
 * What the crawler takes from one HTML page: the page as capture reads it in the browser (the same
 * extractPage: Readability text, document counts for the content signals), plus the links to follow,
 * its canonical URL, and what its robots meta allows.
 */
export interface ReadPage extends ExtractedPage {
  canonical: string | null;
  links: string[];
  /** `<meta name="robots" content="noindex">`: read the links, keep nothing. */
  noindex: boolean;
  /** `nofollow`: keep the page, follow none of its links. */
  nofollow: boolean;
}

export function readPage(html: string, url: string): ReadPage | { skipped: SkipReason } {
  const { document } = parseHTML(html);
  const doc = document as unknown as Document;
  const robots = [...doc.querySelectorAll('meta[name="robots" i], meta[name="calicolobstercrawler" i]')]
    .map((m) => (m.getAttribute('content') ?? '').toLowerCase())
    .join(',');
  const noindex = /\b(noindex|none)\b/.test(robots);
  const nofollow = /\b(nofollow|none)\b/.test(robots);
  const base = doc.querySelector('base[href]')?.getAttribute('href');
  const baseUrl = base ? safeUrl(base, url) ?? url : url;
  const links = nofollow
    ? []
    : [...doc.querySelectorAll('a[href]')]
        .filter((a) => !/\bnofollow\b/i.test(a.getAttribute('rel') ?? ''))
        .map((a) => safeUrl(a.getAttribute('href')!, baseUrl))
        .filter((u): u is string => u !== null && /^https?:/.test(u));
  const canonicalHref = doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href');
  const canonical = canonicalHref ? safeUrl(canonicalHref, baseUrl) : null;
  const extracted = extractPage(doc);
  if ('skipped' in extracted) return { skipped: extracted.skipped === 'too-large' ? 'too-large' : extracted.skipped === 'empty' ? 'empty' : 'not-readable' };
  return { ...extracted.page, canonical, links: [...new Set(links)], noindex, nofollow };
}

function safeUrl(href: string, base: string): string | null {
  try {
    const u = new URL(href, base);
    u.hash = '';
    return u.toString();
  } catch {
    return null;
  }
}
