// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaptureChannel } from './reliable-channel';
import { canonicalFor, readCanonical, startVisitTracker, type TrackerContext } from './visit-tracker';

let time = 1_000_000;
let focused = true;
let visibility: DocumentVisibilityState = 'visible';
let ticks: (() => void)[] = [];
let sent: { type: string; payload: Record<string, unknown>; now?: boolean }[] = [];
let listeners: { target: EventTarget; type: string; fn: (e: Event) => void }[] = [];

const ctx: TrackerContext = {
  addEventListener(target, type, fn) {
    target.addEventListener(type, fn);
    listeners.push({ target, type, fn });
  },
  setInterval(fn) {
    ticks.push(fn);
    return ticks.length;
  },
};
const channel: CaptureChannel = {
  send: async (type, payload) => {
    sent.push({ type, payload: payload as Record<string, unknown> });
    return undefined;
  },
  sendNow: (type, payload) => void sent.push({ type, payload: payload as Record<string, unknown>, now: true }),
};

let ids = 0;
function start() {
  return startVisitTracker(ctx, channel, window, { now: () => time, newId: () => `visit-${++ids}-xxxxxxxx` });
}
const beats = () => sent.filter((m) => m.type === 'visit.heartbeat').map((m) => m.payload);
const begins = () => sent.filter((m) => m.type === 'visit.begin').map((m) => m.payload);

beforeEach(() => {
  sent = [];
  ticks = [];
  focused = true;
  visibility = 'visible';
  document.hasFocus = () => focused;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  history.replaceState({}, '', '/article/one?utm_source=x');
  document.head.innerHTML = '<link rel="canonical" href="/article/one">';
  document.title = 'Article one';
});
afterEach(() => {
  for (const l of listeners) l.target.removeEventListener(l.type, l.fn);
  listeners = [];
});

describe('visit tracker', () => {
  it('begins a load visit with the page metadata', () => {
    start();
    expect(begins()).toEqual([
      expect.objectContaining({ url: location.href, canonicalUrl: new URL('/article/one', location.href).href, title: 'Article one', transition: 'load' }),
    ]);
    // An immediate beat tells the background the page is being looked at.
    expect(beats()[0]).toMatchObject({ activeMs: 0, active: true });
  });

  it('counts only time that is visible and focused', () => {
    start();
    time += 4_000;
    focused = false;
    window.dispatchEvent(new Event('blur'));
    time += 10_000; // unfocused: not counted
    focused = true;
    window.dispatchEvent(new Event('focus'));
    time += 2_000;
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    time += 30_000; // hidden: not counted
    const last = beats().at(-1)!;
    expect(last).toMatchObject({ activeMs: 6_000, active: false });
    // Going hidden also sends at once, outside the queue.
    expect(sent.at(-2)).toMatchObject({ type: 'visit.heartbeat', now: true });
  });

  it('heartbeats on the interval only when something changed', () => {
    start();
    const n = beats().length;
    time += 15_000;
    ticks.forEach((t) => t());
    expect(beats()).toHaveLength(n + 1);
    focused = false;
    window.dispatchEvent(new Event('blur'));
    const m = beats().length;
    time += 15_000;
    ticks.forEach((t) => t());
    expect(beats()).toHaveLength(m);
  });

  it('starts a new spa visit when the history API changes the route, not on hash changes', () => {
    const tracker = start();
    const first = tracker.current()!;
    history.pushState({}, '', '/article/one?utm_source=x#section');
    tracker.checkLocation();
    history.replaceState({}, '', '/article/one?utm_source=y&fbclid=z');
    tracker.checkLocation();
    expect(begins()).toHaveLength(1);
    time += 3_000;
    history.pushState({}, '', '/article/two');
    document.title = 'Article two';
    tracker.checkLocation();
    tracker.checkLocation(); // the message and wxt:locationchange both report it: still one visit
    expect(begins()).toHaveLength(2);
    expect(begins()[1]).toMatchObject({ transition: 'spa', referrer: first.url, url: location.href, startedAt: time });
    // The old route's visit got its closing beat before the new one began.
    const closing = sent.findIndex((m) => m.type === 'visit.heartbeat' && m.payload.visitId === first.id && m.payload.activeMs === 3_000);
    expect(closing).toBeGreaterThan(-1);
    expect(closing).toBeLessThan(sent.findIndex((m) => m.type === 'visit.begin' && m.payload.transition === 'spa'));
  });

  it('does not file an SPA route under the canonical URL the previous route left behind', () => {
    const tracker = start();
    history.pushState({}, '', '/article/two');
    tracker.checkLocation();
    expect(begins()[1]).toMatchObject({ transition: 'spa', canonicalUrl: null });
    const visit = tracker.current()!;
    expect(canonicalFor(visit, document)).toBeNull(); // still the old route's
    document.head.innerHTML = '<link rel="canonical" href="/article/two">';
    expect(canonicalFor(visit, document)).toBe(new URL('/article/two', location.href).href);
  });

  it('sends nothing for routes it is told not to record', () => {
    let allow = true;
    const tracker = startVisitTracker(ctx, channel, window, { now: () => time, allowVisit: () => allow });
    allow = false;
    history.pushState({}, '', '/login');
    tracker.checkLocation();
    const count = sent.length;
    time += 15_000;
    ticks.forEach((t) => t());
    expect(begins()).toHaveLength(1);
    expect(sent.length).toBe(count);
  });

  it('reads the canonical link, resolved, and ignores junk', () => {
    document.head.innerHTML = '<link rel="alternate canonical" href="https://example.com/c?x=1">';
    expect(readCanonical(document)).toBe('https://example.com/c?x=1');
    document.head.innerHTML = '';
    expect(readCanonical(document)).toBeNull();
  });
});
