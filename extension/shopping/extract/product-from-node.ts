import type { ProductSource, ProductSpec, ProductVariant } from '@shared/schemas/products';
import { normaliseAvailability } from './availability';
import { cleanText } from './clean-text';
import { parseCurrency, parsePrice } from './price-text';
import { emptyDraft, type ProductDraft } from './product-draft';
import { hasType, nodes, strings, text, type SchemaNode } from './schema-node';

/**
 * A schema.org Product / ProductGroup node (from JSON-LD, microdata or RDFa) → a draft. The first
 * offer gives price, currency and availability (an AggregateOffer its `price`, else `lowPrice`); a
 * ProductGroup's `hasVariant` products, or several offers that differ by SKU, become variants.
 */

const GTIN_PROPS = ['gtin', 'gtin13', 'gtin12', 'gtin14', 'gtin8', 'isbn'];
/** Product properties shown as specs beside `additionalProperty` (names as schema.org spells them). */
const SPEC_PROPS = ['color', 'size', 'material', 'pattern', 'weight', 'width', 'height', 'depth', 'model', 'category', 'countryOfOrigin', 'itemCondition'];

const MAX_VARIANTS = 64;
const MAX_SPECS = 48;

function code(raw: string | null): string | null {
  const t = cleanText(raw, 128);
  return t && !/^https?:/i.test(t) ? t : null;
}

function gtinOf(node: SchemaNode | undefined): string | null {
  const raw = text(node, ...GTIN_PROPS);
  const digits = raw?.replace(/[\s-]/g, '') ?? '';
  return /^\d{8,14}$/.test(digits) ? digits : code(raw);
}

function imageOf(node: SchemaNode): string | null {
  for (const v of node.props.get('image') ?? []) {
    const url = typeof v === 'string' ? v : text(v, 'url', 'contentUrl', 'thumbnailUrl');
    if (url && url.length <= 8192) return url.trim();
  }
  return null;
}

interface OfferFacts {
  price: number | null;
  currency: string | null;
  availability: string | null;
  sku: string | null;
  gtin: string | null;
  mpn: string | null;
  seller: string | null;
}

function offerFacts(offer: SchemaNode | undefined): OfferFacts {
  const spec = nodes(offer, 'priceSpecification')[0];
  const nested = hasType(offer ?? { types: [], props: new Map(), path: '', id: null }, 'AggregateOffer') ? nodes(offer, 'offers')[0] : undefined;
  const priceRaw = text(offer, 'price') ?? text(offer, 'lowPrice') ?? text(spec, 'price', 'minPrice') ?? text(nested, 'price');
  return {
    price: parsePrice(priceRaw),
    currency: parseCurrency(text(offer, 'priceCurrency', 'currency') ?? text(spec, 'priceCurrency') ?? text(nested, 'priceCurrency')),
    availability: normaliseAvailability(text(offer, 'availability') ?? text(nested, 'availability')),
    sku: code(text(offer, 'sku')),
    gtin: offer ? gtinOf(offer) : null,
    mpn: code(text(offer, 'mpn')),
    seller: cleanText(text(offer, 'seller'), 512),
  };
}

function specsOf(node: SchemaNode): ProductSpec[] {
  const specs: ProductSpec[] = [];
  for (const p of nodes(node, 'additionalProperty')) {
    const name = cleanText(text(p, 'name', 'propertyID'), 128);
    const value = cleanText([text(p, 'value'), text(p, 'unitText', 'unitCode')].filter(Boolean).join(' '), 512);
    if (name && value) specs.push({ name, value });
  }
  for (const prop of SPEC_PROPS) {
    const raw = prop === 'itemCondition' ? text(nodes(node, 'offers')[0], prop) : text(node, prop);
    const value = cleanText(raw?.replace(/^https?:\/\/schema\.org\//i, ''), 512);
    if (value && !specs.some((s) => s.name.toLowerCase() === prop.toLowerCase())) specs.push({ name: prop, value });
  }
  return specs.slice(0, MAX_SPECS);
}

function variantOf(node: SchemaNode, offer: OfferFacts, groupName: string | null): ProductVariant {
  const name = cleanText(text(node, 'name'), 512) ?? '';
  const options: ProductVariant['options'] = [];
  for (const prop of ['color', 'size', 'material', 'pattern']) {
    const value = cleanText(text(node, prop), 256);
    if (value) options.push({ name: prop, value });
  }
  return {
    name: name === groupName ? '' : name,
    sku: code(text(node, 'sku')) ?? offer.sku,
    gtin: gtinOf(node) ?? offer.gtin,
    price: offer.price,
    currency: offer.currency,
    availability: offer.availability,
    options,
  };
}

export function draftFromNode(node: SchemaNode, source: ProductSource): ProductDraft {
  const draft = emptyDraft(source);
  draft.name = cleanText(text(node, 'name'), 512);
  // `offerDetails`: the retired data-vocabulary.org spelling of `offers`.
  const offers = nodes(node, 'offers', 'offerDetails');
  const variants = nodes(node, 'hasVariant');
  // A ProductGroup often states price and stock only on its variants.
  const first = offerFacts(offers[0] ?? nodes(variants[0], 'offers')[0]);
  // Price comes from the first offer; stock and codes from the first offer that states them.
  for (const o of offers.slice(1, 20)) {
    const f = offerFacts(o);
    first.availability ??= f.availability;
    first.sku ??= f.sku;
    first.gtin ??= f.gtin;
    first.mpn ??= f.mpn;
    first.currency ??= f.currency;
  }
  const brandRaw = text(node, 'brand') ?? text(node, 'manufacturer');
  draft.brand = brandRaw && !/^(https?:|#)/.test(brandRaw) ? cleanText(brandRaw, 512) : null;
  draft.model = cleanText(strings(node, 'model')[0] ?? text(nodes(node, 'model')[0], 'name'), 512);
  // A ProductGroup's codes are its first variant's; its own productGroupID only when variants have none.
  const v0 = variants[0];
  draft.gtin = gtinOf(node) ?? first.gtin ?? (v0 ? gtinOf(v0) : null);
  draft.mpn = code(text(node, 'mpn')) ?? first.mpn ?? code(text(v0, 'mpn'));
  draft.sku = code(text(node, 'sku')) ?? first.sku ?? code(text(v0, 'sku')) ?? code(text(node, 'productGroupID'));
  draft.price = first.price;
  draft.currency = first.currency;
  draft.availability = first.availability ?? normaliseAvailability(text(node, 'availability'));
  draft.storeName = first.seller;
  draft.image = imageOf(node);
  const rating = nodes(node, 'aggregateRating')[0];
  draft.rating = parsePrice(text(rating, 'ratingValue'));
  const count = parsePrice(text(rating, 'reviewCount') ?? text(rating, 'ratingCount'));
  draft.reviewCount = count === null ? null : Math.round(count);
  draft.specs = specsOf(node);
  if (variants.length) {
    draft.variants = variants.slice(0, MAX_VARIANTS).map((v) => variantOf(v, offerFacts(nodes(v, 'offers')[0]), draft.name));
  } else if (offers.length > 1) {
    const facts = offers.slice(0, MAX_VARIANTS).map((o) => ({ o, f: offerFacts(o) }));
    if (new Set(facts.map((x) => x.f.sku ?? text(x.o, 'name'))).size > 1) {
      draft.variants = facts.map(({ o, f }) => ({
        name: cleanText(text(o, 'name'), 512) ?? '',
        sku: f.sku,
        gtin: f.gtin,
        price: f.price,
        currency: f.currency,
        availability: f.availability,
        options: [],
      }));
    }
  }
  return draft;
}
