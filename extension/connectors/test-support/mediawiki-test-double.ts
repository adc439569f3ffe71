import { sendJson, startLoopback, type Loopback } from './loopback-server';

/**
 * A test double of the MediaWiki Action API (api.php, formatversion=2) for the calls the Wikipedia
 * connector makes: prop=info by titles (with redirects), generator=categorymembers with `continue`
 * paging, and prop=extracts|info|revisions by pageids. Answers are shaped like Wikipedia's.
 */
export interface WikiArticle {
  pageid: number;
  title: string;
  text: string;
  revid: number;
  timestamp: string;
  categories?: string[];
}

export interface MediaWikiDouble extends Loopback {
  articles: WikiArticle[];
  /** Answer the next N requests with 429 and this Retry-After. */
  throttle(n: number, retryAfter: string): void;
}

const CATEGORY_PAGE = 2;

export async function startMediaWikiDouble(articles: WikiArticle[]): Promise<MediaWikiDouble> {
  let throttled = 0;
  let retryAfter = '1';
  const info = (a: WikiArticle) => ({ pageid: a.pageid, ns: 0, title: a.title, contentmodel: 'wikitext', pagelanguage: 'en', touched: a.timestamp, lastrevid: a.revid, length: a.text.length });
  const double = await startLoopback((url, _req, res) => {
    if (throttled > 0) {
      throttled--;
      return sendJson(res, 429, { error: { code: 'ratelimited', info: 'You have exceeded your rate limit.' } }, { 'retry-after': retryAfter });
    }
    if (url.pathname !== '/w/api.php') return sendJson(res, 404, {});
    const p = url.searchParams;
    if (p.get('format') !== 'json' || p.get('formatversion') !== '2' || p.get('action') !== 'query') return sendJson(res, 200, { error: { code: 'badparams', info: 'unexpected' } });
    if (p.get('titles')) {
      const asked = p.get('titles')!.split('|');
      const pages = asked.map((t) => {
        const a = articles.find((x) => x.title === t);
        return a ? info(a) : { ns: 0, title: t, missing: true };
      });
      return sendJson(res, 200, { batchcomplete: true, query: { pages } });
    }
    if (p.get('generator') === 'categorymembers') {
      const category = p.get('gcmtitle')!.replace(/^Category:/, '');
      const members = articles.filter((a) => a.categories?.includes(category));
      const start = Number(p.get('gcmcontinue') ?? '0');
      const slice = members.slice(start, start + CATEGORY_PAGE);
      const next = start + CATEGORY_PAGE < members.length ? { gcmcontinue: String(start + CATEGORY_PAGE), continue: 'gcmcontinue||' } : undefined;
      return sendJson(res, 200, { ...(next ? { continue: next } : { batchcomplete: true }), query: { pages: slice.map(info) } });
    }
    if (p.get('pageids')) {
      const a = articles.find((x) => String(x.pageid) === p.get('pageids'));
      if (!a) return sendJson(res, 200, { batchcomplete: true, query: { pages: [{ pageid: Number(p.get('pageids')), missing: true }] } });
      return sendJson(res, 200, {
        batchcomplete: true,
        query: { pages: [{ ...info(a), extract: a.text, fullurl: `https://en.wikipedia.org/wiki/${encodeURIComponent(a.title.replace(/ /g, '_'))}`, canonicalurl: `https://en.wikipedia.org/wiki/${a.title.replace(/ /g, '_')}`, revisions: [{ timestamp: a.timestamp }] }] },
      });
    }
    return sendJson(res, 200, { batchcomplete: true });
  });
  return {
    ...double,
    articles,
    throttle(n, after) {
      throttled = n;
      retryAfter = after;
    },
  };
}
