import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { CaptureChannel } from '@/capture/content/reliable-channel';
import { extractProduct } from '../extract/extract-product';
import { shopifyProductJsUrl } from '../extract/shopify-product';
import { showProductBadge } from './product-badge';

/**
 * The shopping feature's content-script step, run by capture after a visit's page settled: extract the
 * page's product from its own markup (a Shopify store's `/products/<handle>.js` too, fetched without
 * cookies), send it to the background to be saved, and show the badge when memory has something to
 * say. Links, cookies and the page's own controls are never touched.
 */

const SHOPIFY_FETCH_MS = 3_000;

/** A Shopify storefront names its CDN or its checkout token in the page. */
export function looksLikeShopify(doc: Document): boolean {
  return !!doc.querySelector('link[href*="cdn.shopify.com"], script[src*="cdn.shopify.com"], meta[name="shopify-checkout-api-token"], meta[name="shopify-digital-wallet"]');
}

async function fetchShopifyProduct(ctx: ContentScriptContext, url: string): Promise<unknown> {
  const controller = new AbortController();
  const timer = ctx.setTimeout(() => controller.abort(), SHOPIFY_FETCH_MS);
  try {
    // Same-origin public JSON; `omit` keeps the shopper's cookies out of the request.
    const response = await fetch(url, { credentials: 'omit', signal: controller.signal, headers: { accept: 'application/json' } });
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

export async function captureProduct(ctx: ContentScriptContext, channel: CaptureChannel): Promise<void> {
  if (ctx.isInvalid) return;
  const jsUrl = looksLikeShopify(document) ? shopifyProductJsUrl(location.href) : null;
  const shopifyProduct = jsUrl ? await fetchShopifyProduct(ctx, jsUrl) : undefined;
  const html = document.documentElement?.outerHTML ?? '';
  const product = extractProduct(html, location.href, { shopifyProduct });
  if (!product || ctx.isInvalid) return;
  const answer = await channel.send('product.seen', { product });
  if (answer?.insight && !ctx.isInvalid) {
    showProductBadge(ctx, answer.insight, {
      onOffForSite: () => void channel.send('product.badgeOff', { site: location.hostname }),
    });
  }
}
