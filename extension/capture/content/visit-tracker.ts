import { normalizeUrl } from '../normalize-url';
import type { CaptureChannel } from './reliable-channel';

/**
 * One visit per navigation: the document load, then each history-API route change (SPA). Tracks the
 * time the page is visible AND focused, and reports it with heartbeats — on an interval while it
 * changes, and whenever the page is hidden or left — so a tab closed or killed still has its time
 * recorded up to the last beat.
 */

export interface TrackerContext {
  addEventListener(target: EventTarget, type: string, handler: (event: Event) => void, options?: AddEventListenerOptions): void;
  setInterval(handler: () => void, timeout?: number): number;
}

export interface TrackedVisit {
  id: string;
  url: string;
  startedAt: number;
  transition: 'load' | 'spa';
  /** The canonical URL the previous route had: an SPA that never updates its <link rel=canonical>
   * would otherwise file every route under the first one, so this value is ignored for this visit. */
  staleCanonical: string | null;
  /** Not recorded (see `allowVisit`): the tracker follows the route but sends nothing for it. */
  skipped?: boolean;
}

export interface VisitTrackerOptions {
  heartbeatMs?: number;
  now?: () => number;
  newId?: () => string;
  /** Asked before each visit is recorded; a route it refuses (a sign-in form appeared) is not. */
  allowVisit?: () => boolean;
  /** Called after each visit begins (the capture starts the page-text extraction from here). */
  onVisit?: (visit: TrackedVisit) => void;
}

export interface VisitTracker {
  /** Compares the URL with the current visit's and starts a new visit if the route changed. */
  checkLocation(): void;
  current(): TrackedVisit | null;
  /** Time active on the current visit so far. */
  activeMs(): number;
}

const URL_LIMIT = 8192;

export function withoutHash(url: string): string {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

/** Same page for visit purposes: equal once fragments and tracking parameters are dropped (a
 * replaceState that only adds `utm_*`, or a hash change, is not a new route). */
export function sameRoute(a: string, b: string): boolean {
  return (normalizeUrl(a) ?? withoutHash(a)) === (normalizeUrl(b) ?? withoutHash(b));
}

/** The canonical URL to report for a visit: none when it is the previous route's left-over. */
export function canonicalFor(visit: Pick<TrackedVisit, 'staleCanonical'>, doc: Document): string | null {
  const canonical = readCanonical(doc);
  return canonical !== null && canonical === visit.staleCanonical ? null : canonical;
}

/** The page's rel=canonical, resolved against the document's base URL. */
export function readCanonical(doc: Document): string | null {
  const href = doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href');
  if (!href) return null;
  try {
    const url = new URL(href, doc.baseURI).href;
    return url.length <= URL_LIMIT ? url : null;
  } catch {
    return null;
  }
}

function randomId(): string {
  return crypto.randomUUID();
}

export function startVisitTracker(ctx: TrackerContext, channel: CaptureChannel, win: Window = window, options: VisitTrackerOptions = {}): VisitTracker {
  const doc = win.document;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomId;
  let visit: TrackedVisit | null = null;
  let accumulated = 0;
  let activeSince: number | null = null;
  let lastSent: { activeMs: number; title: string; active: boolean } | null = null;

  const isActive = () => doc.visibilityState === 'visible' && doc.hasFocus();

  /** Folds the running active period into the total and starts a new one if the page is active. */
  function settleActivity(): void {
    const t = now();
    if (activeSince !== null) accumulated += Math.max(0, t - activeSince);
    activeSince = isActive() ? t : null;
  }
  const activeMs = () => accumulated + (activeSince !== null ? Math.max(0, now() - activeSince) : 0);

  function heartbeat({ urgent = false, force = false } = {}): void {
    if (!visit || visit.skipped) return;
    settleActivity();
    const active = activeSince !== null;
    const payload = { visitId: visit.id, title: doc.title.slice(0, 4096), endedAt: now(), activeMs: Math.round(accumulated), active };
    if (!force && lastSent && lastSent.activeMs === payload.activeMs && lastSent.title === payload.title && lastSent.active === active) return;
    lastSent = { activeMs: payload.activeMs, title: payload.title, active };
    // On pagehide there is no later for the queue: send at once as well (heartbeats are idempotent).
    if (urgent) channel.sendNow('visit.heartbeat', payload);
    void channel.send('visit.heartbeat', payload, { coalesceKey: `heartbeat:${visit.id}` });
  }

  function begin(transition: 'load' | 'spa', referrer: string | null, startedAt: number): void {
    const url = win.location.href;
    const staleCanonical = transition === 'spa' ? readCanonical(doc) : null;
    visit = { id: newId(), url, startedAt, transition, staleCanonical };
    accumulated = 0;
    activeSince = null;
    lastSent = null;
    settleActivity();
    if (options.allowVisit && !options.allowVisit()) {
      visit.skipped = true;
      return;
    }
    void channel.send('visit.begin', {
      visitId: visit.id,
      url: url.slice(0, URL_LIMIT),
      canonicalUrl: transition === 'spa' ? null : readCanonical(doc),
      title: doc.title.slice(0, 4096),
      referrer: referrer && referrer.length <= URL_LIMIT ? referrer : null,
      transition,
      startedAt,
    });
    // At once, so the background knows whether the page is being looked at (see the heartbeat's `active`).
    heartbeat({ force: true });
    options.onVisit?.(visit);
  }

  function checkLocation(): void {
    if (!visit || sameRoute(win.location.href, visit.url)) return;
    heartbeat({ force: true }); // close the old route's visit with its time
    begin('spa', visit.url, now());
  }

  const timeOrigin = Math.round(win.performance?.timeOrigin ?? now());
  begin('load', doc.referrer || null, Math.min(timeOrigin, now()));

  // Every change between active and not is reported, so the background's picture of "active since the
  // last beat" stays true.
  ctx.addEventListener(doc, 'visibilitychange', () => heartbeat({ urgent: doc.visibilityState === 'hidden' }));
  ctx.addEventListener(win, 'focus', () => heartbeat());
  ctx.addEventListener(win, 'blur', () => heartbeat());
  ctx.addEventListener(win, 'pagehide', () => heartbeat({ urgent: true, force: true }));
  // Back/forward cache: the same document shown again is a new visit.
  ctx.addEventListener(win, 'pageshow', (event) => {
    if ((event as PageTransitionEvent).persisted) begin('load', doc.referrer || null, now());
  });
  ctx.addEventListener(win, 'wxt:locationchange', () => checkLocation());
  ctx.addEventListener(win, 'popstate', () => checkLocation());
  ctx.setInterval(() => heartbeat(), options.heartbeatMs ?? 15_000);

  return { checkLocation, current: () => visit, activeMs };
}
