import { z } from 'zod';

/**
 * A store's catalogue and policies as the merchant chat keeps them: what Shopify's public storefront
 * endpoints give (`/products.json` pages: prices as decimal strings; `/products/<handle>.js`: prices in
 * cents), bounded and reduced to what a shopper's answer needs.
 */

export const CatalogVariant = z.object({
  id: z.string().min(1).max(32),
  title: z.string().max(256),
  price: z.number().nonnegative().finite(),
  available: z.boolean(),
  sku: z.string().max(128).nullable(),
});
export type CatalogVariant = z.infer<typeof CatalogVariant>;

export const CatalogProduct = z.object({
  id: z.string().min(1).max(32),
  handle: z.string().min(1).max(256),
  title: z.string().min(1).max(512),
  vendor: z.string().max(256),
  productType: z.string().max(256),
  tags: z.array(z.string().max(128)).max(100),
  /** Description as plain text; never shown as HTML and never read as instructions. */
  description: z.string().max(8000),
  image: z.string().max(2048).nullable(),
  variants: z.array(CatalogVariant).min(1).max(100),
});
export type CatalogProduct = z.infer<typeof CatalogProduct>;

export const PolicyPage = z.object({
  url: z.string().min(1).max(2048),
  title: z.string().max(256),
  body: z.string().max(50_000),
});
export type PolicyPage = z.infer<typeof PolicyPage>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Tags dropped and entities of the common kinds decoded; descriptions are shown as text only. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

/** `.js` documents give integer cents; `products.json` gives "520.00". */
function price(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw / 100 : null;
  if (typeof raw === 'string' && raw.trim()) {
    const n = Number(raw);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** One storefront product object (either shape) → a CatalogProduct, or null when it is not one. */
export function catalogProductOf(raw: unknown): CatalogProduct | null {
  if (!isRecord(raw) || typeof raw.title !== 'string' || !Array.isArray(raw.variants)) return null;
  const variants = raw.variants
    .filter(isRecord)
    .map((v) => ({
      id: String(v.id ?? ''),
      title: String(v.title ?? '').slice(0, 256),
      price: price(v.price) ?? 0,
      available: v.available !== false,
      sku: typeof v.sku === 'string' && v.sku ? v.sku.slice(0, 128) : null,
    }))
    .filter((v) => v.id);
  const images = Array.isArray(raw.images) ? raw.images : [];
  const first = images[0];
  const image = typeof raw.featured_image === 'string' ? raw.featured_image : typeof first === 'string' ? first : isRecord(first) && typeof first.src === 'string' ? first.src : null;
  const tags = Array.isArray(raw.tags) ? raw.tags.map(String) : typeof raw.tags === 'string' ? raw.tags.split(',').map((t) => t.trim()) : [];
  const parsed = CatalogProduct.safeParse({
    id: String(raw.id ?? raw.handle ?? ''),
    handle: String(raw.handle ?? raw.id ?? ''),
    title: raw.title.slice(0, 512),
    vendor: String(raw.vendor ?? '').slice(0, 256),
    productType: String(raw.product_type ?? raw.type ?? '').slice(0, 256),
    tags: tags.filter(Boolean).slice(0, 100).map((t) => t.slice(0, 128)),
    description: htmlToText(String(raw.body_html ?? raw.description ?? '')).slice(0, 8000),
    image: image ? (image.startsWith('//') ? `https:${image}` : image).slice(0, 2048) : null,
    variants: variants.slice(0, 100),
  });
  return parsed.success ? parsed.data : null;
}
