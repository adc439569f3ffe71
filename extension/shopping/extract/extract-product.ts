import { ExtractedProduct, type ProductSource } from '@shared/schemas/products';
import { cleanText, nameTokens } from './clean-text';
import { parseJsonLdText } from './json-ld-text';
import { draftFromOpenGraph, isOpenGraphProduct } from './opengraph-product';
import { readPageMarkup, type PageMarkup } from './page-markup';
import { emptyDraft, type ProductDraft } from './product-draft';
import { draftFromNode } from './product-from-node';
import { hasType, toSchemaNodes, type SchemaNode } from './schema-node';
import { draftFromShopify, isShopifyProduct } from './shopify-product';

/**
 * Is this page a product page, and which product? Reads the page's own structured data only (no
 * per-site rules): schema.org Product / ProductGroup nodes in JSON-LD, microdata and RDFa, OpenGraph
 * product tags, and Shopify product JSON.
 *
 * The page's product is the one the page is about: a Product node that is not nested as a related
 * product, a list entry, a variant or the subject of a review. One such product (or several nodes that
 * are all the same product) makes a product page; several different products make a listing unless
 * exactly one of them is named by the page's heading and title. Pages whose markup is about an article
 * or an event with a product merely mentioned are not product pages.
 *
 * Sources are merged field by field in the order JSON-LD, microdata, RDFa, Shopify, OpenGraph: a field
 * the first source leaves empty is taken from the next one that names the same product.
 */

export const PRODUCT_TYPES = [
  'Product',
  'ProductGroup',
  'ProductModel',
  'IndividualProduct',
  'SomeProducts',
  'ProductCollection',
  'Vehicle',
  'Car',
  'Motorcycle',
  'MotorizedBicycle',
  'BusOrCoach',
  'DietarySupplement',
];

/** Where a Product node is not the page's product. */
const NOT_MAIN_PROPS = new Set([
  'isRelatedTo',
  'isSimilarTo',
  'isAccessoryOrSparePartFor',
  'isConsumableFor',
  'itemListElement',
  'hasVariant',
  'isVariantOf',
  'itemReviewed',
  'mentions',
  'about',
  'model',
  'review',
  'subjectOf',
  'hasPart',
  'isPartOf',
  'includesObject',
  'relatedTo',
  'workExample',
]);

/** Top-level types that say the page is an article or an event, not a shop's product page. */
const ARTICLE_TYPES = ['Article', 'NewsArticle', 'BlogPosting', 'Review', 'TechArticle', 'Report', 'ReportageNewsArticle', 'AnalysisNewsArticle', 'OpinionNewsArticle'];
const EVENT_TYPES = ['Event', 'MusicEvent', 'TheaterEvent', 'SportsEvent', 'Festival', 'ComedyEvent', 'DanceEvent', 'ScreeningEvent'];

interface Candidate {
  draft: ProductDraft;
  tokens: string[];
}

function isMainPath(path: string): boolean {
  return !path.split('.').some((p) => NOT_MAIN_PROPS.has(p));
}

function candidatesFrom(all: SchemaNode[], source: ProductSource): Candidate[] {
  return all
    .filter((n) => hasType(n, ...PRODUCT_TYPES) && isMainPath(n.path))
    .map((n) => ({ ...draftFromNode(n, source), loose: !n.types.some((t) => PRODUCT_TYPES.includes(t)) }))
    .filter((d) => d.name || d.sku || d.gtin)
    .map((draft) => ({ draft, tokens: nameTokens(draft.name) }));
}

/** Share of `a`'s tokens found in `b` (0 when `a` has none). */
function coverage(a: string[], b: Set<string>): number {
  if (!a.length) return 0;
  return a.filter((t) => b.has(t)).length / a.length;
}

function sameProduct(a: Candidate, b: Candidate): boolean {
  if (a.draft.sku && a.draft.sku === b.draft.sku) return true;
  if (a.draft.gtin && a.draft.gtin === b.draft.gtin) return true;
  if (!a.tokens.length || !b.tokens.length) return !a.tokens.length && !b.tokens.length;
  const sa = new Set(a.tokens);
  const sb = new Set(b.tokens);
  return Math.max(coverage(a.tokens, sb), coverage(b.tokens, sa)) >= 0.8;
}

/** Groups candidates that name the same product, in order of first appearance. */
function clusters(cands: Candidate[]): Candidate[][] {
  const out: Candidate[][] = [];
  for (const c of cands) {
    const hit = out.find((cl) => cl.some((x) => sameProduct(x, c)));
    if (hit) hit.push(c);
    else out.push([c]);
  }
  return out;
}

function pageTokens(markup: PageMarkup): Set<string> {
  const og = markup.meta.get('og:title')?.[0] ?? '';
  return new Set(nameTokens(`${markup.h1} ${markup.title} ${og}`));
}

function pickMain(groups: Candidate[][], markup: PageMarkup): Candidate[] | null {
  if (groups.length === 0) return null;
  if (groups.length === 1) return groups[0]!;
  const page = pageTokens(markup);
  const scored = groups
    .map((g) => ({ g, score: Math.max(...g.map((c) => coverage(c.tokens, page))) }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || best.score < 0.5) return null;
  if (second && best.score - second.score < 0.2) return null;
  return best.g;
}

function mergeDrafts(drafts: ProductDraft[]): ProductDraft {
  const order: ProductSource[] = ['json-ld', 'microdata', 'rdfa', 'shopify', 'opengraph', 'page'];
  const rank = (d: ProductDraft) => (d.loose ? 4.5 + order.indexOf(d.source) / 10 : order.indexOf(d.source));
  const sorted = [...drafts].sort((a, b) => rank(a) - rank(b));
  const merged: ProductDraft = { ...sorted[0]! };
  for (const d of sorted.slice(1)) {
    for (const key of Object.keys(merged) as (keyof ProductDraft)[]) {
      const cur = merged[key];
      const next = d[key];
      if ((cur === null || (Array.isArray(cur) && cur.length === 0)) && next !== null) (merged as unknown as Record<string, unknown>)[key] = next;
    }
  }
  return merged;
}

/** Most pages showing one product have one or two add-to-cart controls (plus a sticky copy or a
 * "buy now"); a listing has one per tile. */
const MAX_CART_CONTROLS = 16;

/**
 * No schema.org product: OpenGraph that says product (or gives a price) with a title, or, on a page
 * with no commerce markup at all, a heading plus a few add-to-cart controls (the page a person sees
 * as one product).
 */
function pageLevelDraft(markup: PageMarkup, og: ProductDraft | null, hasOtherMarkup: boolean): ProductDraft | null {
  if (og?.name && (isOpenGraphProduct(markup) || og.price !== null)) return og;
  if (hasOtherMarkup || !markup.h1 || markup.cartControls < 1 || markup.cartControls > MAX_CART_CONTROLS) return null;
  const draft = emptyDraft('page');
  draft.name = cleanText(markup.h1, 512);
  draft.image = og?.image ?? null;
  draft.storeName = og?.storeName ?? null;
  return draft;
}

function pageTypes(tops: SchemaNode[]): Set<string> {
  return new Set(tops.flatMap((n) => n.types));
}

export interface ExtractOptions {
  /** A Shopify product object the caller fetched (`/products/<handle>.js`), with the shopper's currency. */
  shopifyProduct?: unknown;
  shopifyCurrency?: string | null;
}

export interface Extraction {
  product: ExtractedProduct | null;
  /** Why no product was saved ('no-product-markup', 'listing', 'article', 'event'), or 'product'. */
  verdict: 'product' | 'no-product-markup' | 'listing' | 'article' | 'event';
}

export function extractFromMarkup(markup: PageMarkup, options: ExtractOptions = {}): Extraction {
  const jsonLd = toSchemaNodes(markup.jsonLdTexts.flatMap(parseJsonLdText));
  const micro = toSchemaNodes(markup.microdata);
  const rdfa = toSchemaNodes(markup.rdfa);
  const tops = [...jsonLd.top, ...micro.top, ...rdfa.top];
  const types = pageTypes(tops);

  const cands = [...candidatesFrom(jsonLd.all, 'json-ld'), ...candidatesFrom(micro.all, 'microdata'), ...candidatesFrom(rdfa.all, 'rdfa')];
  const shopify = [options.shopifyProduct, ...markup.jsonScripts.map((t) => parseJsonLdText(t)[0])].find(isShopifyProduct);
  if (shopify) {
    const draft = draftFromShopify(shopify, markup.url, options.shopifyCurrency ?? null);
    cands.push({ draft, tokens: nameTokens(draft.name) });
  }
  const og = draftFromOpenGraph(markup);

  const groups = clusters(cands);
  const articleLike = [...types].some((t) => ARTICLE_TYPES.includes(t)) || (markup.meta.get('og:type')?.[0] ?? '').toLowerCase() === 'article';
  const eventLike = [...types].some((t) => EVENT_TYPES.includes(t));

  const main = pickMain(groups, markup);
  let drafts: ProductDraft[];
  if (main) {
    // An article or review that carries product markup describes a product sold elsewhere.
    if (articleLike && !isOpenGraphProduct(markup) && !main.some((c) => c.draft.price !== null)) return { product: null, verdict: 'article' };
    drafts = main.map((c) => c.draft);
    if (og) {
      const ogCand = { draft: og, tokens: nameTokens(og.name) };
      // OpenGraph fills gaps only when it names the same product (or no product at all).
      const same = !og.name || drafts.some((d) => sameProduct({ draft: d, tokens: nameTokens(d.name) }, ogCand) || coverage(nameTokens(d.name), new Set(ogCand.tokens)) >= 0.8);
      drafts.push(same ? og : { ...emptyDraft('opengraph'), image: og.image, storeName: og.storeName });
    }
  } else {
    if (groups.length > 1) return { product: null, verdict: 'listing' };
    if (eventLike) return { product: null, verdict: 'event' };
    const hasSchemaCommerce = [...jsonLd.all, ...micro.all, ...rdfa.all].some((n) => hasType(n, ...PRODUCT_TYPES, 'Offer', 'AggregateOffer', 'ItemList'));
    const fallback = pageLevelDraft(markup, og, hasSchemaCommerce || articleLike);
    if (!fallback) return { product: null, verdict: 'no-product-markup' };
    drafts = [fallback];
  }
  const merged = mergeDrafts(drafts);
  if (!merged.name) return { product: null, verdict: 'no-product-markup' };
  // The store's own name and the page's picture, from OpenGraph even when it says nothing of a product.
  merged.storeName ??= cleanText(markup.meta.get('og:site_name')?.[0] ?? markup.meta.get('og:site-name')?.[0] ?? null, 512);
  merged.image ??= markup.meta.get('og:image')?.[0] ?? null;

  const host = (() => {
    try {
      return new URL(markup.url).hostname;
    } catch {
      return 'unknown';
    }
  })();
  const parsed = ExtractedProduct.safeParse({
    ...merged,
    storeDomain: host || 'unknown',
    url: markup.url,
    sources: [...new Set(drafts.filter((d) => d.name || d.price !== null).map((d) => d.source))],
  });
  return parsed.success ? { product: parsed.data, verdict: 'product' } : { product: null, verdict: 'no-product-markup' };
}

/** The product of a page's HTML, or null when the page is not a product page. */
export function extractProduct(html: string, url: string, options: ExtractOptions = {}): ExtractedProduct | null {
  return extractFromMarkup(readPageMarkup(html, url), options).product;
}

export function extractWithVerdict(html: string, url: string, options: ExtractOptions = {}): Extraction {
  return extractFromMarkup(readPageMarkup(html, url), options);
}
