import type { SenderKind } from '@shared/schemas/messages';
import { normalizeUrl, pageKeyUrl } from '@/capture/normalize-url';

/**
 * Who sent a message, as the browser reports it (never as the message claims). A content script shares
 * its page with scripts the page controls, so anything it sends is treated as coming from that page:
 * it may only speak about the page it runs in (see `allowedPageKeys`). The extension's own pages
 * (background, side panel, popup, options, offscreen) are served from the extension's origin.
 */

export type Sender = chrome.runtime.MessageSender;

export class ForbiddenError extends Error {
  readonly code = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

function extensionOrigin(): string | null {
  try {
    return originOf(chrome.runtime.getURL('/'));
  } catch {
    return null;
  }
}

/** Scheme and host: URL#origin is "null" for schemes the URL parser doesn't know (chrome-extension: in
 * Node, chrome: everywhere), which would make every such URL look alike. */
function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** `extension` for our own pages, `content` for our content script in a web page, null for anything else
 * (another extension, a sender without a URL). */
export function senderKind(sender: Sender, ownOrigin: string | null = extensionOrigin()): SenderKind | null {
  if (typeof chrome !== 'undefined' && chrome.runtime?.id && sender.id !== undefined && sender.id !== chrome.runtime.id) return null;
  const origin = originOf(sender.url);
  if (ownOrigin && origin === ownOrigin) return 'extension';
  // A content script's messages always carry its tab; so do web pages' frames. Without a tab and
  // without a URL it is our own service worker talking to a content script.
  if (sender.tab) return origin ? 'content' : null;
  return !origin && sender.id !== undefined ? 'extension' : null;
}

function withoutHash(url: string): string | null {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href;
  } catch {
    return null;
  }
}

/** The document URLs the browser says the sender is in (the frame's, the tab's). */
function senderUrls(sender: Sender): string[] {
  return [sender.url, sender.tab?.url].filter((u): u is string => typeof u === 'string' && u.length > 0);
}

/** Is `url` the page the content script that sent the message runs in (ignoring the fragment)? */
export function isSendersPage(url: string, sender: Sender): boolean {
  const claimed = withoutHash(url);
  return claimed !== null && senderUrls(sender).some((u) => withoutHash(u) === claimed);
}

/**
 * The page keys (extension/capture/normalize-url.ts pageKeyUrl) a content script may read and change
 * records under: its own page's URL, and the same-site canonical URL that page declares — exactly the
 * keys `highlights.forPage` would give it.
 */
export function allowedPageKeys(sender: Sender, canonicalUrl?: string | null): Set<string> {
  const keys = new Set<string>();
  for (const url of senderUrls(sender)) {
    const own = normalizeUrl(url);
    if (own) keys.add(own);
    const key = pageKeyUrl(url, canonicalUrl ?? null);
    if (key) keys.add(key);
  }
  return keys;
}

/** Throws unless `kind` may send a message whose spec allows `from` (absent: extension pages only). */
export function assertSenderAllowed(type: string, kind: SenderKind | null, from: readonly SenderKind[] | undefined): void {
  const allowed = from ?? ['extension'];
  if (!kind || !allowed.includes(kind)) throw new ForbiddenError(`${type} may not be sent from ${kind ?? 'an unknown sender'}`);
}

/** A content script's request naming a page (`url`) must name its own page. */
export function assertOwnPage(type: string, request: unknown, sender: Sender): void {
  const url = (request as { url?: unknown } | null)?.url;
  if (typeof url === 'string' && !isSendersPage(url, sender)) throw new ForbiddenError(`${type}: a page may only ask about itself`);
}
