import { normaliseAvailability } from './availability';
import { cleanText } from './clean-text';
import type { PageMarkup } from './page-markup';
import { parseCurrency, parsePrice } from './price-text';
import { emptyDraft, type ProductDraft } from './product-draft';

/**
 * OpenGraph product tags (og:type "product", `product:price:amount`, and the `og:price:*` spellings
 * some platforms write). Returns null unless the page calls itself a product or states a price.
 */

function first(markup: PageMarkup, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = markup.meta.get(key)?.find((x) => x.trim());
    if (v) return v.trim();
  }
  return null;
}

/** og:type "product", "product.item", or a site's own namespace for one ("shop:product", "objects:item"). */
export function isOpenGraphProduct(markup: PageMarkup): boolean {
  const type = first(markup, 'og:type')?.toLowerCase() ?? '';
  return /^product(?:[.:_]|$)/.test(type) || /[:._](?:product|item)$/.test(type);
}

export function draftFromOpenGraph(markup: PageMarkup): ProductDraft | null {
  const priceRaw = first(markup, 'product:price:amount', 'og:price:amount', 'product:sale_price:amount', 'og:price');
  if (!isOpenGraphProduct(markup) && !priceRaw) return null;
  const draft = emptyDraft('opengraph');
  draft.name = cleanText(first(markup, 'og:title'), 512);
  draft.price = parsePrice(priceRaw);
  draft.currency = parseCurrency(first(markup, 'product:price:currency', 'og:price:currency', 'product:sale_price:currency'));
  draft.availability = normaliseAvailability(first(markup, 'product:availability', 'og:availability'));
  draft.brand = cleanText(first(markup, 'product:brand', 'og:brand'), 512);
  draft.sku = cleanText(first(markup, 'product:retailer_item_id', 'product:sku', 'og:sku'), 128);
  draft.gtin = cleanText(first(markup, 'product:gtin', 'product:ean', 'product:upc', 'og:upc', 'og:ean', 'product:isbn'), 128);
  draft.mpn = cleanText(first(markup, 'product:mfr_part_no', 'product:mpn'), 128);
  draft.image = first(markup, 'og:image', 'og:image:secure_url', 'og:image:url');
  draft.storeName = cleanText(first(markup, 'og:site_name', 'og:site-name'), 512);
  for (const [key, name] of [
    ['product:color', 'color'],
    ['product:category', 'category'],
    ['product:condition', 'itemCondition'],
  ] as const) {
    const value = cleanText(first(markup, key), 512);
    if (value) draft.specs.push({ name, value });
  }
  return draft;
}
