/**
 * One URL per page: the key visits, pages and highlights are stored and looked up by. Tracking
 * parameters and fragments are dropped (they name the same document), the host is lower-cased, and
 * everything else — parameter order included — is left as the site wrote it, because sites do use
 * order and case in paths and queries.
 */

/** Query parameters that only carry campaign/click tracking. Names are compared lower-cased. */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'mc_eid', 'mc_cid', '_ga', '_gl',
  'yclid', 'igshid', 'ref_src', 'ref_url', 'twclid', 'ttclid', 'li_fat_id', 'mkt_tok', '_hsenc', '_hsmi',
  'vero_id', 'oly_anon_id', 'oly_enc_id', 'rb_clickid', 's_cid', 'wickedid', 'srsltid', 'epik',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hsa_'];

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((p) => lower.startsWith(p));
}

/** True for http(s) URLs, the only ones CalicoLobster captures. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The normalised form of an absolute http(s) URL, or null when `raw` is not one. */
export function normalizeUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if (url.search) {
    // Rebuild from the raw pairs rather than URLSearchParams#toString, which would re-encode every value
    // (turning `%20` into `+`, `~` into `%7E`) and so change URLs we only meant to trim.
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTrackingParam(safeDecode(pair.split('=')[0]!)));
    url.search = kept.length ? '?' + kept.join('&') : '';
  }
  return url.href;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The site a URL belongs to, as shown and filtered on: its host name. */
export function siteOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Second-level labels under which registrations happen (`example.co.uk`), for `registrableDomain`. */
const PUBLIC_SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'ne', 'or', 'go', 'gob', 'nic', 'mil']);

/** An approximation of the registrable domain (eTLD+1) without shipping the public-suffix list: good
 * enough to tell `m.example.com` and `www.example.com` apart from `example.org`. */
export function registrableDomain(host: string): string {
  const labels = host.toLowerCase().split('.').filter(Boolean);
  if (labels.length <= 2 || /^\d+$/.test(labels.at(-1)!)) return labels.join('.');
  const tld = labels.at(-1)!;
  const second = labels.at(-2)!;
  const keep = tld.length === 2 && PUBLIC_SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/**
 * The URL a page is stored under: its rel=canonical when that is an http(s) URL on the same site (a
 * canonical pointing elsewhere is more likely a mistake or an attempt to file the page under another
 * site's name), else the page's own URL; normalised either way.
 */
export function pageKeyUrl(url: string, canonicalUrl: string | null | undefined): string | null {
  const own = normalizeUrl(url);
  if (!own) return null;
  if (!canonicalUrl) return own;
  const canonical = normalizeUrl(canonicalUrl);
  if (!canonical) return own;
  return registrableDomain(new URL(canonical).hostname) === registrableDomain(new URL(own).hostname) ? canonical : own;
}
