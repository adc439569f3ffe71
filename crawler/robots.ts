import robotsParser from 'robots-parser';

/**
 * robots.txt, read with a well-kept parser (robots-parser: wildcards, Allow/Disallow precedence,
 * Crawl-delay, Sitemap lines). What an unreadable file means follows RFC 9309: a 4xx (no file) allows
 * everything; a 5xx or a network failure means the site could not say, so nothing is crawled.
 */
export const USER_AGENT = 'CalicoLobsterCrawler/0.1 (+https://github.com/calicolobster; personal memory crawler)';
const AGENT_TOKEN = 'CalicoLobsterCrawler';

export interface Robots {
  isAllowed(url: string): boolean;
  /** Seconds between requests the site asks for, or null. */
  crawlDelay(): number | null;
  sitemaps(): string[];
  /** Why nothing may be crawled, when the file could not be read. */
  unreachable: string | null;
}

export async function fetchRobots(origin: string, fetchFn: typeof fetch, signal?: AbortSignal): Promise<Robots> {
  const url = `${origin}/robots.txt`;
  let status = 0;
  let text = '';
  try {
    const res = await fetchFn(url, { headers: { 'user-agent': USER_AGENT }, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000) });
    status = res.status;
    // 500 KiB is the RFC's floor for what a crawler must read; anything past it is ignored.
    text = res.ok ? (await res.text()).slice(0, 512 * 1024) : '';
  } catch (error) {
    if (signal?.aborted) throw error;
    return { isAllowed: () => false, crawlDelay: () => null, sitemaps: () => [], unreachable: `robots.txt could not be fetched (${String(error)})` };
  }
  if (status >= 500) return { isAllowed: () => false, crawlDelay: () => null, sitemaps: () => [], unreachable: `robots.txt answered ${status}` };
  const parsed = robotsParser(url, status >= 200 && status < 300 ? text : '');
  return {
    isAllowed: (u) => parsed.isAllowed(u, AGENT_TOKEN) !== false,
    crawlDelay: () => parsed.getCrawlDelay(AGENT_TOKEN) ?? null,
    sitemaps: () => parsed.getSitemaps(),
    unreachable: null,
  };
}
