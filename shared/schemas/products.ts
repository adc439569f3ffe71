import { z } from 'zod';
import { Id } from './records';

/**
 * Products a shopper looked at (issue 12). The content script extracts an `ExtractedProduct` from a
 * product page's own structured data (extension/shopping/extract); the background saves it through
 * the change log as one `product` record per (store, product URL) and one `price-observation` record
 * per visit, which is the price history. Both are synced kinds like every other record.
 *
 * Bounds: every string is capped (names 512, ids 128, URLs 8 KiB), at most 64 variants and 48 specs,
 * so one record stays far under the worker's row limit whatever a page's markup holds.
 */

const Millis = z.number().int().nonnegative();
const Url = z.string().min(1).max(8192);
const Name = z.string().max(512);
const Code = z.string().max(128);
/** ISO 4217 codes, but pages also write "RUR", "₽" or "$": kept as written when not a code, short. */
const Currency = z.string().max(8);
const Price = z.number().finite().nonnegative().max(1e12);

/** schema.org ItemAvailability names (InStock, OutOfStock, PreOrder, …), or the page's own word when
 * it is not one of them. */
export const Availability = z.string().max(64);

export const ProductVariant = z.object({
  name: Name.default(''),
  sku: Code.nullable().default(null),
  gtin: Code.nullable().default(null),
  price: Price.nullable().default(null),
  currency: Currency.nullable().default(null),
  availability: Availability.nullable().default(null),
  /** Option values that tell this variant apart ("Colour": "Black", "Size": "M"). */
  options: z.array(z.object({ name: z.string().max(128), value: z.string().max(256) })).max(8).default([]),
});
export type ProductVariant = z.infer<typeof ProductVariant>;

export const ProductSpec = z.object({ name: z.string().min(1).max(128), value: z.string().min(1).max(512) });
export type ProductSpec = z.infer<typeof ProductSpec>;

/** Which markup the product's fields came from, first the one that named it. 'page': no product
 * markup, the visible page (its heading and a single add-to-cart control) says it is one. */
export const PRODUCT_SOURCES = ['json-ld', 'microdata', 'rdfa', 'opengraph', 'shopify', 'page'] as const;
export const ProductSource = z.enum(PRODUCT_SOURCES);
export type ProductSource = z.infer<typeof ProductSource>;

export const ExtractedProduct = z.object({
  name: Name.min(1),
  brand: Name.nullable().default(null),
  /** Model name or number when the markup states one (schema.org `model`), used to group across stores. */
  model: Name.nullable().default(null),
  gtin: Code.nullable().default(null),
  mpn: Code.nullable().default(null),
  sku: Code.nullable().default(null),
  price: Price.nullable().default(null),
  currency: Currency.nullable().default(null),
  availability: Availability.nullable().default(null),
  variants: z.array(ProductVariant).max(64).default([]),
  specs: z.array(ProductSpec).max(48).default([]),
  rating: z.number().finite().min(0).max(100).nullable().default(null),
  reviewCount: z.number().int().nonnegative().max(1e9).nullable().default(null),
  image: Url.nullable().default(null),
  /** The store: its host name, and the name it gives itself when the page says (og:site_name, seller). */
  storeDomain: z.string().min(1).max(253),
  storeName: Name.nullable().default(null),
  url: Url,
  sources: z.array(ProductSource).min(1).max(PRODUCT_SOURCES.length),
});
export type ExtractedProduct = z.infer<typeof ExtractedProduct>;
export type ExtractedProductInput = z.input<typeof ExtractedProduct>;

// --- Saved records -------------------------------------------------------------------------------

/** One product as seen on one store page; keyed by a stable id derived from the normalised URL. */
export const ProductRecord = ExtractedProduct.extend({
  id: Id,
  firstSeenAt: Millis,
  lastSeenAt: Millis,
  visitCount: z.number().int().nonnegative().max(1e9),
  updatedAt: Millis,
});
export type ProductRecord = z.infer<typeof ProductRecord>;

/** One price seen on one visit: the price history of a product record. */
export const PriceObservation = z.object({
  id: Id,
  productId: Id,
  price: Price,
  currency: Currency.nullable().default(null),
  availability: Availability.nullable().default(null),
  storeDomain: z.string().min(1).max(253),
  url: Url,
  seenAt: Millis,
  updatedAt: Millis,
});
export type PriceObservation = z.infer<typeof PriceObservation>;

// --- What the content script is told back --------------------------------------------------------

/** A badge's message: the same product seen cheaper, or similar products looked at. */
export const ProductInsight = z.object({
  kind: z.enum(['cheaper-elsewhere', 'similar-seen']),
  text: z.string().min(1).max(300),
  price: Price.nullable(),
  currency: Currency.nullable(),
  storeDomain: z.string().max(253).nullable(),
  url: Url.nullable(),
  seenAt: Millis.nullable(),
  /** Same-product records (cheaper-elsewhere) or similar products (similar-seen). */
  count: z.number().int().nonnegative(),
});
export type ProductInsight = z.infer<typeof ProductInsight>;

/** The settings-table key holding the sites where the badge is switched off. */
export const BADGE_OFF_SITES_KEY = 'shopping.badgeOffSites';
export const BadgeOffSites = z.array(z.string().min(1).max(253)).max(5000);
