import type { ParsedRequest } from '@shared/schemas/messages';
import type { ProductInsight } from '@shared/schemas/products';
import { onMessage } from '@/messaging/router';
import { capturePolicyFor } from '@/capture/privacy-policy';
import { getDb, type CalicoDb } from '@/db/database';
import { insightFor } from './memory/product-insight';
import { badgeOffSites, listObservations, listProducts, saveProductVisit, setBadgeOff } from './memory/product-repository';

/**
 * The shopping feature's part of the service worker: saves the product a page shows (when capture is
 * allowed there) and answers with what memory says about it for the page's badge.
 */

type Sender = chrome.runtime.MessageSender;

export async function productSeen(
  request: ParsedRequest<'product.seen'>,
  sender: Sender | undefined,
  deps: { db?: CalicoDb; now?: () => number } = {},
): Promise<{ recorded: boolean; productId: string | null; insight: ProductInsight | null }> {
  const db = deps.db ?? getDb();
  const now = (deps.now ?? Date.now)();
  if (!(await capturePolicyFor(request.product.url, sender, db)).allowed) return { recorded: false, productId: null, insight: null };
  const { product } = await saveProductVisit(request.product, now, db);
  const off = await badgeOffSites(db);
  if (off.includes(product.storeDomain.toLowerCase())) return { recorded: true, productId: product.id, insight: null };
  const insight = insightFor(product, await listProducts(db), await listObservations(db), now);
  return { recorded: true, productId: product.id, insight };
}

export function registerShoppingHandlers(): void {
  onMessage('product.seen', (request, { sender }) => productSeen(request, sender));
  onMessage('product.badgeOff', async ({ site }) => {
    await setBadgeOff(site, true);
    return { ok: true };
  });
}
