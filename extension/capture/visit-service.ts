import { Page, Search, Visit } from '@shared/schemas/records';
import type { ParsedRequest } from '@shared/schemas/messages';
import { matchSearch, matchSearchEngine } from '@shared/search-engines';
import { computeSignals } from '@shared/signals/content-signals';
import { getDb, type CalicoDb } from '@/db/database';
import { putRecords, updateRecord } from '@/db/change-log';
import { normalizeUrl, pageKeyUrl, registrableDomain, siteOf } from './normalize-url';
import { capturePolicyFor } from './privacy-policy';
import { sessionJourneyStore, withTabLock, type JourneySearch, type JourneyStore, type TabJourney } from './journey-store';

/**
 * What the background does with the content script's capture messages. Every operation is idempotent
 * (a retried visit.begin finds its visit, a heartbeat sets rather than adds), because the content script
 * retries until acknowledged and the service worker may die between a write and its reply.
 */

/** Cap on stored page text; the rest is cut and the page marked truncated. */
export const PAGE_TEXT_LIMIT = 100_000;
const TITLE_LIMIT = 2048;

export interface CaptureDeps {
  db?: CalicoDb;
  journeys?: JourneyStore;
  now?: () => number;
}

type Sender = chrome.runtime.MessageSender;

function resolve(deps: CaptureDeps) {
  return { db: deps.db ?? getDb(), journeys: deps.journeys ?? sessionJourneyStore, now: deps.now ?? Date.now };
}

/** Search ids derive from the visit that found them, so a retried visit.begin re-creates the same row. */
function searchIdFor(visitId: string): string {
  return `s_${visitId}`.slice(0, 64);
}

function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** A referrer is compatible with coming from the results page when it is that page, or its origin
 * (what the default referrer policy sends across sites). */
function cameFrom(search: JourneySearch, referrer: string | null): boolean {
  return referrer !== null && originOf(referrer) === search.origin;
}

/**
 * The search a new (non-results) page belongs to: the results page shown in this tab just before, when
 * the referrer says the navigation came from it; or, for the first page of a tab opened from another
 * tab, the results page that opener tab shows.
 */
function linkedSearch(current: TabJourney | undefined, opener: TabJourney | undefined, referrer: string | null): string | null {
  if (current) return current.search && cameFrom(current.search, referrer) ? current.search.id : null;
  if (opener?.search && (referrer === null || cameFrom(opener.search, referrer))) return opener.search.id;
  return null;
}

export async function beginVisit(request: ParsedRequest<'visit.begin'>, sender: Sender, deps: CaptureDeps = {}): Promise<{ recorded: boolean }> {
  const { db, journeys, now } = resolve(deps);
  if (!(await capturePolicyFor(request.url, sender, db)).allowed) return { recorded: false };
  const url = pageKeyUrl(request.url, request.canonicalUrl);
  if (!url) return { recorded: false };
  const tabId = sender.tab?.id;

  return withTabLock(tabId, async () => {
    const current = tabId === undefined ? undefined : await journeys.get(tabId);
    const existing = await db.visits.get(request.visitId);
    if (existing) {
      // A retry: the visit is there; make sure the tab's journey caught up with it too.
      if (tabId !== undefined && (!current || (current.visitId !== existing.id && current.visitStartedAt <= existing.startedAt))) {
        await journeys.set(tabId, nextJourney(current, existing, request.url, existing.searchId));
      }
      return { recorded: true };
    }

    const at = now();
    const referrer = request.referrer ? normalizeUrl(request.referrer) : null;
    const results = matchSearch(request.url);
    let searchId: string | null;
    if (results) {
      const last = current?.lastSearch;
      searchId = last && last.engine === results.engine && last.query === results.query ? last.id : searchIdFor(request.visitId);
      if (searchId !== last?.id) {
        const search = Search.parse({ id: searchId, engine: results.engine, query: results.query, url, site: siteOf(url), createdAt: at, updatedAt: at });
        await putRecords('searches', [search], db);
      }
    } else {
      const openerId = sender.tab?.openerTabId;
      const opener = !current && openerId !== undefined ? await journeys.get(openerId) : undefined;
      searchId = linkedSearch(current, opener, request.referrer);
    }

    const visit = Visit.parse({
      id: request.visitId,
      url,
      site: siteOf(url),
      title: request.title.slice(0, TITLE_LIMIT),
      referrer,
      searchId,
      transition: request.transition,
      startedAt: request.startedAt,
      endedAt: request.startedAt,
      activeMs: 0,
      updatedAt: at,
    });
    await putRecords('visits', [visit], db);
    if (tabId !== undefined) await journeys.set(tabId, nextJourney(current, visit, request.url, searchId));
    return { recorded: true };
  });
}

/** The tab's journey after `visit`: a results page becomes the tab's search; a keyword-less page of a
 * search engine (a click redirect) keeps it; anything else ends it. */
function nextJourney(current: TabJourney | undefined, visit: Visit, rawUrl: string, searchId: string | null): TabJourney {
  const base = { visitId: visit.id, visitStartedAt: visit.startedAt, url: visit.url };
  const results = matchSearch(rawUrl);
  if (results && searchId) {
    const search: JourneySearch = { id: searchId, engine: results.engine, query: results.query, origin: new URL(rawUrl).origin, url: visit.url };
    return { ...base, search, lastSearch: search };
  }
  const engine = matchSearchEngine(rawUrl);
  const passThrough = engine !== null && current?.search?.engine === engine.engine;
  return { ...base, search: passThrough ? current!.search : null, lastSearch: current?.lastSearch ?? null };
}

export async function recordHeartbeat(request: ParsedRequest<'visit.heartbeat'>, sender: Sender, deps: CaptureDeps = {}): Promise<{ recorded: boolean }> {
  const { db, journeys, now } = resolve(deps);
  // The last beat is sent on pagehide, when the tab may already show the next page (about:blank, the
  // new-tab page): judge the document that sent it, not the tab's current URL.
  const fromSender = { ...sender, tab: sender.tab ? { ...sender.tab, url: undefined } : undefined };
  if (!(await capturePolicyFor('', fromSender, db)).allowed) return { recorded: false };
  if (!(await isSendersVisit(request.visitId, sender, db))) return { recorded: false };
  const tabId = sender.tab?.id;
  return withTabLock(tabId, async () => {
    const visit = await setVisitTime(request.visitId, request.endedAt, request.activeMs, request.title, db, now);
    if (!visit) return { recorded: false };
    if (tabId !== undefined) {
      const journey = await journeys.get(tabId);
      const previous = journey?.lastBeat;
      // Only the tab's current visit, and only forward in time (retries can arrive late).
      if (journey && journey.visitId === visit.id && !(previous?.visitId === visit.id && previous.at > request.endedAt)) {
        await journeys.set(tabId, { ...journey, lastBeat: { visitId: visit.id, at: request.endedAt, activeMs: visit.activeMs, active: request.active } });
      }
    }
    return { recorded: true };
  });
}

/** A page may only time its own visits: the visit is filed under the sending document's site (its URL
 * or a same-site canonical link), so one page can't stretch or retitle another site's visits by id. */
async function isSendersVisit(visitId: string, sender: Sender, db: CalicoDb): Promise<boolean> {
  if (!sender.url) return true;
  const visit = await db.visits.get(visitId);
  if (!visit) return true;
  const own = normalizeUrl(sender.url);
  if (!own) return false;
  return registrableDomain(new URL(visit.url).hostname) === registrableDomain(new URL(own).hostname);
}

/** Sets a visit's end, active time and title — never backwards, and never more active time than the
 * visit lasted. Returns the row, or undefined when there is no such visit. */
async function setVisitTime(visitId: string, endedAtIn: number, activeMsIn: number, titleIn: string, db: CalicoDb, now: () => number): Promise<Visit | undefined> {
  return updateRecord<Visit & Record<string, unknown>>(
    'visits',
    visitId,
    (visit) => {
      // Set, never add, and never go backwards: heartbeats may arrive twice or out of order.
      const endedAt = Math.max(visit.endedAt, endedAtIn);
      const activeMs = Math.min(Math.max(visit.activeMs, Math.round(activeMsIn)), Math.max(0, endedAt - visit.startedAt));
      const title = titleIn.trim() ? titleIn.slice(0, TITLE_LIMIT) : visit.title;
      if (endedAt === visit.endedAt && activeMs === visit.activeMs && title === visit.title) return undefined;
      return { ...visit, endedAt, activeMs, title, updatedAt: now() };
    },
    db,
  );
}

/** Longest stretch after a page's last heartbeat that is still counted as active when it disappears:
 * a bit more than the content script's heartbeat period, so a page whose script died isn't credited
 * with the hours until its tab closed. */
export const ACTIVE_EXTRAPOLATION_CAP_MS = 20_000;

/**
 * Closes the tab's current visit when the tab navigates to another document or closes: the visit ends
 * now, and if the page was active at its last heartbeat, the time since counts as active too. This is
 * what records time on page when the page's own last heartbeat (sent on pagehide) never lands.
 */
export async function finishTabVisit(tabId: number, deps: CaptureDeps = {}): Promise<void> {
  const { db, journeys, now } = resolve(deps);
  await withTabLock(tabId, async () => {
    const journey = await journeys.get(tabId);
    const beat = journey?.lastBeat;
    if (!journey || !beat) return;
    const t = now();
    const extra = beat.active ? Math.min(Math.max(0, t - beat.at), ACTIVE_EXTRAPOLATION_CAP_MS) : 0;
    await setVisitTime(beat.visitId, t, beat.activeMs + extra, '', db, now);
    await journeys.set(tabId, { ...journey, lastBeat: null });
  });
}

function countWords(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export async function savePageContent(request: ParsedRequest<'page.content'>, sender: Sender, deps: CaptureDeps = {}): Promise<{ recorded: boolean }> {
  const { db, now } = resolve(deps);
  if (!(await capturePolicyFor(request.url, sender, db)).allowed) return { recorded: false };
  const url = pageKeyUrl(request.url, request.canonicalUrl);
  if (!url) return { recorded: false };
  const truncated = request.truncated || request.text.length > PAGE_TEXT_LIMIT;
  const text = request.text.slice(0, PAGE_TEXT_LIMIT);
  const title = request.title.slice(0, TITLE_LIMIT);
  const existing = await db.pages.get(url);
  // Unchanged text is not rewritten: every write is a change the index and embedder would redo.
  if (existing && existing.text === text && existing.title === title) return { recorded: true };
  const at = now();
  const page = Page.parse({
    url,
    site: siteOf(url),
    title,
    text,
    excerpt: request.excerpt.slice(0, 2000),
    byline: request.byline.slice(0, TITLE_LIMIT),
    siteName: request.siteName.slice(0, TITLE_LIMIT),
    lang: request.lang.slice(0, 35),
    wordCount: countWords(text),
    truncated,
    capturedAt: at,
    updatedAt: at,
    signals: computeSignals({ text, title, declaredLang: request.lang, dom: request.dom }),
  });
  await putRecords('pages', [page], db);
  return { recorded: true };
}
