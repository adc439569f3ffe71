import { onMessage, MessageError, type HandlerContext } from '@/messaging/router';
import { allowedPageKeys, ForbiddenError } from '@/messaging/sender-policy';
import { normalizeUrl, pageKeyUrl, siteOf } from '@/capture/normalize-url';
import { getDb, type CalicoDb } from '@/db/database';
import { createHighlight, deleteHighlight, getHighlight, listHighlightsForPage, setAnchorStatuses, updateHighlight } from './repository';

/**
 * Background side of the in-page highlighter: content scripts can't open the extension's database, so
 * they ask here. Requests are already validated by the router; this adds what only the background
 * decides — which URL a page's highlights are filed under (its same-site canonical URL, normalised).
 *
 * Handlers are registered synchronously when the service worker starts, so the message that wakes a
 * sleeping worker (say the first 'highlight.create' after 30 s idle) still finds its handler.
 */

function keyOf(url: string, canonicalUrl: string | null): string {
  const key = pageKeyUrl(url, canonicalUrl);
  if (!key) throw new MessageError('unsupported-url', 'highlights are only kept for http(s) pages');
  return key;
}

/**
 * A content script may change only the highlights of the page it runs in (the keys `highlights.forPage`
 * would give it); extension pages may change any. A highlight it may not touch reads as missing, so a
 * page learns nothing about other pages' ids.
 */
async function mayTouch(id: string, ctx: HandlerContext, canonicalUrl: string | null | undefined, db: CalicoDb): Promise<boolean> {
  if (ctx.from === 'extension') return true;
  const existing = await getHighlight(id, db);
  return existing !== undefined && allowedPageKeys(ctx.sender, canonicalUrl).has(existing.url);
}

export function registerHighlightHandlers(db?: CalicoDb): void {
  const database = () => db ?? getDb();

  onMessage('highlights.forPage', async ({ url, canonicalUrl }) => {
    const key = pageKeyUrl(url, canonicalUrl);
    if (!key) return [];
    // Also look under the page's own URL: a highlight made before the page gained (or changed) its
    // canonical link is still this page's.
    return listHighlightsForPage([key, normalizeUrl(url) ?? key], database());
  });

  onMessage('highlight.create', async ({ url, canonicalUrl, title, id, text, color, note, selectors }, ctx) => {
    const key = keyOf(url, canonicalUrl);
    // A retried create finds its own row; an id of another page's highlight must not overwrite it.
    if ((await getHighlight(id, database())) && !(await mayTouch(id, ctx, canonicalUrl, database()))) {
      throw new ForbiddenError(`highlight ${id} belongs to another page`);
    }
    return createHighlight(
      { id, url: key, site: siteOf(key), pageTitle: title.slice(0, 2048), text, color, note, selectors },
      database(),
    );
  });

  onMessage('highlight.update', async ({ id, color, note, canonicalUrl }, ctx) => {
    if (!(await mayTouch(id, ctx, canonicalUrl, database()))) throw new MessageError('not-found', `no highlight ${id}`);
    return updateHighlight(id, { color, note }, database());
  });

  onMessage('highlight.delete', async ({ id, canonicalUrl }, ctx) => {
    if (!(await mayTouch(id, ctx, canonicalUrl, database()))) return { deleted: false };
    return { deleted: await deleteHighlight(id, database()) };
  });

  onMessage('highlights.anchored', async ({ results, canonicalUrl }, ctx) => {
    const mine: typeof results = [];
    for (const result of results) if (await mayTouch(result.id, ctx, canonicalUrl, database())) mine.push(result);
    return { updated: await setAnchorStatuses(mine, database()) };
  });
}
