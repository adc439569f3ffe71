import type { PriceObservation, ProductInsight, ProductRecord } from '@shared/schemas/products';
import { isSimilar, sameProduct } from './product-grouping';

/**
 * What memory can usefully say on a product page: the same product seen cheaper (same currency) on
 * another store or earlier, else how many similar products were looked at. Null when there is nothing
 * worth a badge.
 */

const DAY = 86_400_000;

function ago(ms: number): string {
  const days = Math.floor(ms / DAY);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

export function formatPrice(price: number, currency: string | null): string {
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency }).format(price);
    } catch {
      // Unknown code: fall through to the plain form.
    }
  }
  return `${price.toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

export function insightFor(current: ProductRecord, products: readonly ProductRecord[], observations: readonly PriceObservation[], now: number): ProductInsight | null {
  const same = products.filter((p) => p.id !== current.id && sameProduct(p, current));
  const sameIds = new Set(same.map((p) => p.id));
  if (current.price !== null) {
    const cheaper = observations
      .filter((o) => sameIds.has(o.productId) && o.currency === current.currency && o.price < current.price!)
      .sort((a, b) => a.price - b.price || b.seenAt - a.seenAt)[0];
    if (cheaper) {
      const saving = current.price - cheaper.price;
      const where = products.find((p) => p.id === cheaper.productId)?.storeName ?? cheaper.storeDomain;
      return {
        kind: 'cheaper-elsewhere',
        text: `You saw this for ${formatPrice(saving, current.currency)} less at ${where} ${ago(now - cheaper.seenAt)}`,
        price: cheaper.price,
        currency: cheaper.currency,
        storeDomain: cheaper.storeDomain,
        url: cheaper.url,
        seenAt: cheaper.seenAt,
        count: same.length,
      };
    }
  }
  const similar = products.filter((p) => p.id !== current.id && !sameIds.has(p.id) && isSimilar(p, current)).length;
  if (similar >= 2) return { kind: 'similar-seen', text: `You looked at ${similar} similar products`, price: null, currency: null, storeDomain: null, url: null, seenAt: null, count: similar };
  return null;
}
