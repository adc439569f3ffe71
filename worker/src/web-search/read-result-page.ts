import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import robotsParser from 'robots-parser';
import { MAX_RESULT_TEXT_CHARS } from '../../../shared/schemas/web-search';
import { readCapped } from '../http/read-capped';

/**
 * Fetches one result page and returns its readable text, politely: robots.txt is asked first (a
 * disallowed page is not fetched), only HTML is read, and both time and bytes are bounded so a slow or
 * huge page costs at most its budget. Any failure is "no text" — the result keeps its snippet.
 */

export const USER_AGENT = 'CalicoLobsterBot/1.0 (+https://github.com/calicolobster)';
export const ROBOTS_AGENT = 'CalicoLobsterBot';
export const MAX_PAGE_BYTES = 1024 * 1024;
const MAX_ROBOTS_BYTES = 256 * 1024;

/** Reads at most `limit` bytes of a body, cancelling the rest. Null when the body is larger. */
async function readText(response: Response, limit: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const read = await readCapped(response.body, limit);
  if (read.over) {
    await read.reader.cancel();
    return null;
  }
  return new TextDecoder().decode(read.bytes);
}

/** Whether robots.txt lets this agent fetch the URL. A missing robots.txt (4xx) allows everything;
 * one that can't be read (5xx, timeout) allows nothing, as the robots standard (RFC 9309) asks. */
export async function robotsAllow(url: string, signal: AbortSignal): Promise<boolean> {
  const robotsUrl = new URL('/robots.txt', url).href;
  let response: Response;
  try {
    response = await fetch(robotsUrl, { signal, headers: { 'user-agent': USER_AGENT }, redirect: 'follow' });
  } catch {
    return false;
  }
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel();
    return true;
  }
  if (!response.ok) {
    await response.body?.cancel();
    return false;
  }
  const text = (await readText(response, MAX_ROBOTS_BYTES)) ?? '';
  return robotsParser(robotsUrl, text).isAllowed(url, ROBOTS_AGENT) !== false;
}

function tidy(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The readable text of an HTML document (Readability on linkedom), or null when it has none. */
export function readableText(html: string, url: string): string | null {
  const { document } = parseHTML(html);
  // Readability resolves links against the document's URL; linkedom has none, so give it a base.
  if (document.head && !document.querySelector('base')) {
    const base = document.createElement('base');
    base.setAttribute('href', url);
    document.head.appendChild(base);
  }
  for (const el of Array.from(document.querySelectorAll('script,style,noscript,template,form,input,textarea,select')) as Array<{ remove(): void }>) el.remove();
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 100 }).parse();
  const text = tidy(article?.textContent ?? '') || tidy(document.body?.textContent ?? '');
  return text ? text.slice(0, MAX_RESULT_TEXT_CHARS) : null;
}

export async function readResultPage(url: string, timeoutMs: number, caller?: AbortSignal): Promise<string | null> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = caller ? AbortSignal.any([timeout, caller]) : timeout;
  try {
    if (!(await robotsAllow(url, signal))) return null;
    const response = await fetch(url, { signal, headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml' }, redirect: 'follow' });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !/text\/html|application\/xhtml\+xml/i.test(type)) {
      await response.body?.cancel();
      return null;
    }
    const html = await readText(response, MAX_PAGE_BYTES);
    return html === null ? null : readableText(html, response.url || url);
  } catch {
    return null;
  }
}
