import { cleanText } from './clean-text';
import { emptyDraft, type ProductDraft } from './product-draft';

/**
 * A Shopify storefront product object: `/products/<handle>.js` (prices in minor units: cents, in the
 * shopper's presentment currency, no currency field) or a `/products.json` entry (prices as decimal
 * strings). Both carry `variants` with `sku`, `barcode`, `price`, `available` and option values.
 */

interface ShopifyVariant {
  id?: number | string;
  title?: string;
  public_title?: string | null;
  sku?: string | null;
  barcode?: string | null;
  price?: number | string;
  available?: boolean;
  option1?: string | null;
  option2?: string | null;
  option3?: string | null;
}

export interface ShopifyProductJson {
  id?: number | string;
  title?: string;
  handle?: string;
  vendor?: string;
  type?: string;
  product_type?: string;
  price?: number | string;
  available?: boolean;
  options?: Array<string | { name?: string }>;
  variants?: ShopifyVariant[];
  featured_image?: string | null;
  images?: Array<string | { src?: string }>;
  tags?: string[] | string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for the shapes above (a title and a list of variants that have prices). */
export function isShopifyProduct(v: unknown): v is ShopifyProductJson {
  return (
    isRecord(v) &&
    typeof v.title === 'string' &&
    Array.isArray(v.variants) &&
    v.variants.length > 0 &&
    isRecord(v.variants[0]) &&
    'price' in v.variants[0]
  );
}

/** `.js` documents give integer cents; `products.json` gives "520.00". */
function shopifyPrice(raw: number | string | undefined): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw / 100 : null;
  const t = raw.trim();
  if (/^\d+$/.test(t)) return Number(t) / 100;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function imageUrl(product: ShopifyProductJson, pageUrl: string): string | null {
  const raw = product.featured_image ?? (typeof product.images?.[0] === 'string' ? product.images[0] : product.images?.[0]?.src) ?? null;
  if (!raw) return null;
  try {
    return new URL(raw, pageUrl).href;
  } catch {
    return null;
  }
}

export function draftFromShopify(product: ShopifyProductJson, pageUrl: string, currency: string | null = null): ProductDraft {
  const draft = emptyDraft('shopify');
  const optionNames = (product.options ?? []).map((o) => (typeof o === 'string' ? o : (o.name ?? '')));
  const variants = product.variants ?? [];
  const firstAvailable = variants.find((v) => v.available !== false) ?? variants[0];
  draft.name = cleanText(product.title, 512);
  draft.brand = cleanText(product.vendor, 512);
  draft.sku = cleanText(firstAvailable?.sku ?? null, 128);
  draft.gtin = cleanText(firstAvailable?.barcode ?? null, 128);
  draft.price = shopifyPrice(firstAvailable?.price ?? product.price);
  draft.currency = currency;
  const available = product.available ?? variants.some((v) => v.available !== false);
  draft.availability = available ? 'InStock' : 'OutOfStock';
  draft.image = imageUrl(product, pageUrl);
  const type = cleanText(product.type ?? product.product_type ?? null, 512);
  if (type) draft.specs.push({ name: 'category', value: type });
  if (variants.length > 1) {
    draft.variants = variants.slice(0, 64).map((v) => ({
      name: cleanText(v.public_title ?? v.title ?? '', 512) ?? '',
      sku: cleanText(v.sku ?? null, 128),
      gtin: cleanText(v.barcode ?? null, 128),
      price: shopifyPrice(v.price),
      currency,
      availability: v.available === false ? 'OutOfStock' : 'InStock',
      options: [v.option1, v.option2, v.option3]
        .map((value, i) => ({ name: optionNames[i] ?? `option${i + 1}`, value: value ?? '' }))
        .filter((o) => o.value && o.name)
        .slice(0, 8),
    }));
  }
  return draft;
}

/** `https://store/products/<handle>` (also under a locale or collection prefix) → the `.js` URL. */
export function shopifyProductJsUrl(pageUrl: string): string | null {
  try {
    const u = new URL(pageUrl);
    const m = /^(.*\/products\/[^/?#.]+)\/?$/.exec(u.pathname);
    return m ? `${u.origin}${m[1]}.js` : null;
  } catch {
    return null;
  }
}
