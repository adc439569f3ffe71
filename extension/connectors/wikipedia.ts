import { normalizeUrl } from '@/capture/normalize-url';
import { textPage } from '@/import/build-records';
import type { Connector, ListResult } from './connector';
import { ConnectorHttp } from './connector-http';

/**
 * Wikipedia (any MediaWiki) through its Action API: articles named by title and/or every article of a
 * category. Incremental by revision: the cursor remembers each article's last revision id, and a run
 * fetches only articles whose `lastrevid` moved. Text comes from the TextExtracts extension as plain
 * text (`prop=extracts&explaintext`), which drops templates, references and navigation.
 * Etiquette (https://www.mediawiki.org/wiki/API:Etiquette): requests one at a time, spaced; `maxlag`
 * is not sent (we are a reader); 429/503 honour Retry-After (ConnectorHttp).
 */
export interface WikipediaConfig {
  /** The wiki's origin, e.g. https://en.wikipedia.org. */
  wiki: string;
  titles: string[];
  /** A category name with or without the "Category:" prefix. */
  category?: string;
}

export interface WikipediaCursor {
  /** pageid → last revision fetched. */
  revisions: Record<string, number>;
  phase: 'titles' | 'category';
  /** How far into the titles list (50 per batch) or the category's continuation token. */
  offset: number;
  continue: Record<string, string> | null;
}

export interface WikipediaRef {
  pageid: number;
  title: string;
  revid: number;
}

interface InfoPage {
  pageid?: number;
  title: string;
  lastrevid?: number;
  missing?: boolean;
  invalid?: boolean;
}

interface ExtractPage extends InfoPage {
  extract?: string;
  fullurl?: string;
  revisions?: Array<{ timestamp: string }>;
}

const BATCH = 50; // the API's limit of titles per query for ordinary users

function api(config: WikipediaConfig, params: Record<string, string>): string {
  const url = new URL('/w/api.php', config.wiki);
  for (const [k, v] of Object.entries({ action: 'query', format: 'json', formatversion: '2', ...params })) url.searchParams.set(k, v);
  return url.toString();
}

const categoryTitle = (c: string) => (/^category:/i.test(c.trim()) ? c.trim() : `Category:${c.trim()}`);

export function wikipediaConnector(http: ConnectorHttp): Connector<WikipediaConfig, WikipediaCursor, WikipediaRef, ExtractPage> {
  const changed = (pages: InfoPage[], revisions: Record<string, number>): WikipediaRef[] =>
    pages
      .filter((p) => !p.missing && !p.invalid && p.pageid !== undefined && p.lastrevid !== undefined)
      .filter((p) => revisions[String(p.pageid)] !== p.lastrevid)
      .map((p) => ({ pageid: p.pageid!, title: p.title, revid: p.lastrevid! }));
  const remember = (cursor: WikipediaCursor, refs: WikipediaRef[]) => {
    const revisions = { ...cursor.revisions };
    for (const r of refs) revisions[String(r.pageid)] = r.revid;
    return revisions;
  };

  return {
    id: 'wikipedia',
    label: 'Wikipedia',
    describe: (ref) => ref.title,
    async list(config, saved, signal): Promise<ListResult<WikipediaRef, WikipediaCursor>> {
      const cursor: WikipediaCursor = saved ?? { revisions: {}, phase: 'titles', offset: 0, continue: null };
      if (cursor.phase === 'titles' && cursor.offset < config.titles.length) {
        const titles = config.titles.slice(cursor.offset, cursor.offset + BATCH);
        const data = await http.json<{ query?: { pages?: InfoPage[] } }>(api(config, { prop: 'info', titles: titles.join('|'), redirects: '1' }), signal);
        const items = changed(data.query?.pages ?? [], cursor.revisions);
        const offset = cursor.offset + titles.length;
        const more = offset < config.titles.length || Boolean(config.category);
        const next: WikipediaCursor = { revisions: remember(cursor, items), phase: offset < config.titles.length ? 'titles' : config.category ? 'category' : 'titles', offset: offset < config.titles.length ? offset : 0, continue: null };
        return { items, cursor: next, more };
      }
      if (!config.category) return { items: [], cursor: { ...cursor, phase: 'titles', offset: 0, continue: null }, more: false };
      const params: Record<string, string> = { generator: 'categorymembers', gcmtitle: categoryTitle(config.category), gcmtype: 'page', gcmlimit: String(BATCH), prop: 'info', ...(cursor.continue ?? {}) };
      const data = await http.json<{ query?: { pages?: InfoPage[] }; continue?: Record<string, string> }>(api(config, params), signal);
      const items = changed(data.query?.pages ?? [], cursor.revisions);
      const more = Boolean(data.continue);
      // Caught up: the next run starts again from the titles, fetching only what changed.
      return { items, cursor: { revisions: remember(cursor, items), phase: more ? 'category' : 'titles', offset: 0, continue: more ? data.continue! : null }, more };
    },
    async fetch(config, ref, signal) {
      const data = await http.json<{ query?: { pages?: ExtractPage[] } }>(
        api(config, { prop: 'extracts|info|revisions', explaintext: '1', exsectionformat: 'plain', inprop: 'url', rvprop: 'timestamp', pageids: String(ref.pageid) }),
        signal,
      );
      const page = data.query?.pages?.[0];
      return page && !page.missing ? page : null;
    },
    clean(raw) {
      const url = normalizeUrl(raw.fullurl ?? '');
      const text = (raw.extract ?? '').trim();
      if (!url) return { skipped: 'no article URL in the answer' };
      if (!text) return { skipped: 'the article has no text' };
      const at = Date.parse(raw.revisions?.[0]?.timestamp ?? '');
      const when = Number.isNaN(at) ? Date.now() : at;
      const host = new URL(url).hostname;
      const lang = /^[a-z-]{2,12}\.wikipedia\.org$/.test(host) ? host.split('.')[0]! : '';
      return textPage({ url, title: raw.title, text, siteName: 'Wikipedia', lang, capturedAt: when });
    },
  };
}
