/**
 * Per-tab journey state: what each tab shows now and the search it came from. It lives in
 * chrome.storage.session — not in memory — because Chrome stops the service worker after ~30 s idle
 * (or mid-burst) and the next page opened from a results page must still find its search. Session
 * storage also empties when the browser closes, which is right: tab ids are reused after a restart.
 */

export interface JourneySearch {
  id: string;
  engine: string;
  query: string;
  /** Origin of the results page, to check a following page's referrer against. */
  origin: string;
  url: string;
}

export interface TabJourney {
  /** The latest visit in this tab. */
  visitId: string;
  visitStartedAt: number;
  url: string;
  /** Set while the tab shows a search results page (or a keyword-less page of the same engine, such as
   * its click redirect, which a journey passes through). */
  search: JourneySearch | null;
  /** The tab's latest search, so paging through results or coming back to them reuses it. */
  lastSearch: JourneySearch | null;
  /** The last heartbeat of the tab's current visit, so the visit can be closed when the tab navigates
   * away or closes even if the page's own last message never arrived. */
  lastBeat?: { visitId: string; at: number; activeMs: number; active: boolean } | null;
}

export interface JourneyStore {
  get(tabId: number): Promise<TabJourney | undefined>;
  set(tabId: number, journey: TabJourney): Promise<void>;
  remove(tabId: number): Promise<void>;
}

const keyOf = (tabId: number) => `capture.journey.${tabId}`;

export const sessionJourneyStore: JourneyStore = {
  async get(tabId) {
    const key = keyOf(tabId);
    const stored = await chrome.storage.session.get(key);
    return stored[key] as TabJourney | undefined;
  },
  async set(tabId, journey) {
    await chrome.storage.session.set({ [keyOf(tabId)]: journey });
  },
  async remove(tabId) {
    await chrome.storage.session.remove(keyOf(tabId));
  },
};

/** Serialises work per tab within one service-worker life, so two messages of one tab can't interleave
 * their read-modify-write of its journey. (Across lives nothing is in flight to interleave with.) */
const queues = new Map<number, Promise<unknown>>();
export function withTabLock<T>(tabId: number | undefined, work: () => Promise<T>): Promise<T> {
  if (tabId === undefined) return work();
  const previous = queues.get(tabId) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(tabId, settled);
  void settled.then(() => {
    if (queues.get(tabId) === settled) queues.delete(tabId);
  });
  return next;
}
