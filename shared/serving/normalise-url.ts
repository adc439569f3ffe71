/**
 * One spelling of a URL for "is this the same page": scheme and "www." ignored, no fragment, tracking
 * parameters dropped, remaining parameters sorted, no trailing slash, no default index file. Anything
 * that is not an http(s) URL (a kindle:// book, a record key) is returned as it is.
 */

const TRACKING = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|_hsenc|_hsmi|yclid|spm)$/i;

export function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return raw.trim();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return raw.trim();
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : '';
  const params = [...url.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  let path = url.pathname.replace(/\/(index|default)\.(html?|php|aspx?)$/i, '/').replace(/\/+$/, '');
  try {
    path = decodeURI(path);
  } catch {
    // a malformed escape: keep the path as it came
  }
  return `${host}${port}${path}${query}`;
}
