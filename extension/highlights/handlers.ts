import { onMessage, MessageError } from '@/messaging/router';
import { normalizeUrl, pageKeyUrl, siteOf } from '@/capture/normalize-url';
import { getDb, type CalicoDb } from '@/db/database';
import { createHighlight, deleteHighlight, listHighlightsForPage, setAnchorStatuses, updateHighlight } from './repository';

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

export function registerHighlightHandlers(db?: CalicoDb): void {
  const database = () => db ?? getDb();

  onMessage('highlights.forPage', async ({ url, canonicalUrl }) => {
    const key = pageKeyUrl(url, canonicalUrl);
    if (!key) return [];
    // Also look under the page's own URL: a highlight made before the page gained (or changed) its
    // canonical link is still this page's.
    return listHighlightsForPage([key, normalizeUrl(url) ?? key], database());
  });

  onMessage('highlight.create', async ({ url, canonicalUrl, title, id, text, color, note, selectors }) => {
    const key = keyOf(url, canonicalUrl);
    return createHighlight(
      { id, url: key, site: siteOf(key), pageTitle: title.slice(0, 2048), text, color, note, selectors },
      database(),
    );
  });

  onMessage('highlight.update', ({ id, color, note }) => updateHighlight(id, { color, note }, database()));

  onMessage('highlight.delete', async ({ id }) => ({ deleted: await deleteHighlight(id, database()) }));

  onMessage('highlights.anchored', async ({ results }) => ({ updated: await setAnchorStatuses(results, database()) }));
}
