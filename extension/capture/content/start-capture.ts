import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { onMessage } from '@/messaging/router';
import type { MessageResponse } from '@shared/schemas/messages';
import { signInReason } from './sign-in-page';
import { extractPage } from './extract-page';
import { createChannel, type CaptureChannel } from './reliable-channel';
import { waitForSettle } from './settle';
import { canonicalFor, sameRoute, startVisitTracker, type TrackedVisit } from './visit-tracker';
import { captureProduct } from '@/shopping/content/capture-product';

/**
 * The capture feature's content-script side: asks the background whether this page may be captured,
 * then records visits (load and SPA routes), time on page, and the page's readable text once it
 * settles. Every listener and timer hangs off WXT's `ctx`.
 */

let channel: CaptureChannel | undefined;
function channelFor(ctx: ContentScriptContext): CaptureChannel {
  channel ??= createChannel(ctx);
  return channel;
}

/** Why this page is not being captured (null: it is). Kept for the popup's 'capture.status'. */
let notCapturing: CaptureStatus['reason'] | null = null;

type CaptureStatus = MessageResponse<'capture.status'>;

/** A page whose purpose is signing in (sign-in-page.ts) is never captured; a password field in a hidden
 * modal of an article no longer makes the article vanish. */
function signingIn(): boolean {
  const reason = signInReason(document, location.href);
  if (reason) notCapturing = reason;
  return reason !== null;
}

/** May this page be captured (and show highlights)? Top frames only; false on sign-in pages, and when
 * the background says no or never answers. */
export async function isCaptureAllowed(ctx: ContentScriptContext): Promise<boolean> {
  if (window.top !== window || signingIn()) return false;
  const decision = await channelFor(ctx).send('capture.policy', { url: location.href });
  if (decision?.allowed !== true) notCapturing = (decision?.reason as CaptureStatus['reason']) ?? 'not-web';
  return decision?.allowed === true;
}

/** Answers the popup's 'capture.status' (register before the router's listen(); top frame only). */
export function registerCaptureStatus(): void {
  onMessage('capture.status', () => {
    // A route may have turned into a sign-in page since the load.
    if (notCapturing === null || notCapturing === 'sign-in-url' || notCapturing === 'sign-in-form') {
      notCapturing = null;
      signingIn();
    }
    return notCapturing ? { capturing: false, reason: notCapturing } : { capturing: true };
  });
}

/** Starts visit tracking and text capture. Registers its message handler synchronously, so the content
 * entry can call the router's `listen()` right after. */
export function startCapture(ctx: ContentScriptContext): void {
  const send = channelFor(ctx);
  let generation = 0;

  async function captureText(visit: TrackedVisit): Promise<void> {
    const mine = ++generation;
    await waitForSettle(ctx, document.documentElement ?? document, { quietMs: 1_000, maxMs: 5_000 });
    // Let the page finish what it is doing before a full-document clone.
    await new Promise<void>((resolve) => ctx.requestIdleCallback(() => resolve(), { timeout: 2_000 }));
    if (mine !== generation || ctx.isInvalid || !sameRoute(location.href, visit.url)) return;
    if (signingIn()) return;
    const result = extractPage(document);
    // Shopping (issue 12): the page's product, from the same settled document.
    void captureProduct(ctx, send).catch((error) => console.debug('CalicoLobster: product not captured', error));
    if (!('page' in result)) return;
    const { page } = result;
    await send.send('page.content', {
      url: location.href,
      canonicalUrl: canonicalFor(visit, document),
      title: page.title || document.title.slice(0, 4096),
      text: page.text,
      excerpt: page.excerpt,
      byline: page.byline,
      siteName: page.siteName,
      lang: page.lang,
      truncated: page.truncated,
      dom: page.dom,
    });
  }

  const tracker = startVisitTracker(ctx, send, window, {
    allowVisit: () => !signingIn(),
    onVisit: (visit) => {
      if (!visit.skipped) void captureText(visit).catch((error) => console.debug('CalicoLobster: page text not captured', error));
    },
  });
  onMessage('visit.routeChanged', () => {
    tracker.checkLocation();
    return { ok: true };
  });
}
