import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { floorFromProbeScores } from '../shared/search/noise-floor';
import { catalogProductOf, htmlToText, type CatalogProduct } from '../worker/src/shopify/catalog';
import { FLOOR_PROBES, MERCHANT_FLOOR_MARGIN, productEmbedText, VectorMatrix } from '../worker/src/shopify/catalog-search';
import { titleAsListing } from './product-grouping';
import { readPage, splitOf, type PageResult } from './products';

/**
 * `npm run bench -- merchant`: the merchant chat's search by meaning (worker/src/shopify) — does its
 * cut-off answer questions about a store's own products and hand off questions about other stores'
 * products and nonsense? Measured with real sentence embeddings (the bundled USE-lite, as the
 * extension runs it in Node) over stores made from the reference product pages: each site with two or
 * more extracted products is one store (its catalogue item: the extracted name, brand and the page's
 * meta description and specs, embedded exactly as the worker embeds a catalogue item), plus one store
 * of the reference Shopify product JSON (read with the worker's own catalogProductOf).
 *
 * Questions, written from data, not by hand: for each product, "do you have <the first six words of
 * the page title's product part>" (a second wording of the item: other words, order, detail — see
 * product-grouping.ts titleAsListing), asked of its own store (it should be answered, the product in
 * the top 4) and of every other store (it should be handed off); plus 12 made-up questions (none of
 * them the calibration probes). Every cut-off is fitted on the fit stores and reported on held-out
 * stores (a quarter of the sites, by hash) separately:
 * - calibrated: the store's own floor (made-up probes' best cosine, shared/search/noise-floor.ts) +
 *   a fitted margin — what the worker does (MERCHANT_FLOOR_MARGIN);
 * - raw-cosine: one fixed cosine for every store, for comparison.
 * The keyword half (FTS5 in the Durable Object) is unchanged and not simulated here: these rates are
 * of what the vector path adds on its own.
 */

export const NONSENSE_QUESTIONS = [
  'do you have trelmic vonsade',
  'plimbo wexter sanguil',
  'mrrk zopple frint',
  'yoxen daltrive quib',
  'skronth bellavin op',
  'wuzzard plenk',
  'fandric oolump tresh',
  'ghibbet nor vaskle',
  'qeltor snibbish',
  'brantle ozzik fump',
  'zeddle morkwin',
  'huvvy trapsic olm',
];

export interface Store {
  name: string;
  split: 'fit' | 'held-out';
  items: { product: CatalogProduct; question: string }[];
}

function meta(html: string, name: string): string {
  const m = new RegExp(`<meta[^>]+(?:name|property)=["']${name}["'][^>]*content=["']([^"']{1,2000})["']`, 'i').exec(html) ?? new RegExp(`<meta[^>]+content=["']([^"']{1,2000})["'][^>]*(?:name|property)=["']${name}["']`, 'i').exec(html);
  return m ? htmlToText(m[1]!) : '';
}

function question(text: string): string {
  return `do you have ${(text.match(/[\p{L}\p{N}][\p{L}\p{N}.'-]*/gu) ?? []).slice(0, 6).join(' ')}`;
}

/** Stores from the product pages (one per site with ≥ 2 products) and the Shopify JSON. */
export function storesOf(dir: string, results: readonly PageResult[]): Store[] {
  const bySite = new Map<string, Store['items']>();
  for (const r of results) {
    if (r.row.page_kind !== 'product' || !r.product) continue;
    const html = readPage(dir, r.row);
    const p = r.product;
    const description = [meta(html, 'description') || meta(html, 'og:description'), ...p.specs.map((s) => `${s.name}: ${s.value}`)].join('\n');
    const product: CatalogProduct = {
      id: r.row.id.slice(-16),
      handle: r.row.id.slice(-16),
      title: p.name,
      vendor: p.brand ?? '',
      productType: '',
      tags: [],
      description: description.slice(0, 8000),
      image: null,
      variants: [{ id: '1', title: 'Default', price: p.price ?? 0, available: true, sku: p.sku }],
    };
    const title = /<title[^>]*>([\s\S]{1,2000}?)<\/title>/i.exec(html)?.[1];
    const listing = (title && titleAsListing(title, r.row.site, p.storeName)) || p.name;
    const items = bySite.get(r.row.site) ?? [];
    items.push({ product, question: question(listing) });
    bySite.set(r.row.site, items);
  }
  const stores: Store[] = [...bySite].filter(([, items]) => items.length >= 2).map(([site, items]) => ({ name: site, split: splitOf(site), items }));
  // The reference Shopify product JSON as one more store (storefront .js and Admin API shapes).
  const shopifyDir = resolve(dir, 'shopify');
  const rows = readFileSync(resolve(shopifyDir, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string });
  const items: Store['items'] = [];
  for (const row of rows) {
    const raw = JSON.parse(readFileSync(resolve(dir, row.file), 'utf8')) as unknown;
    const list = Array.isArray(raw) ? raw : [(raw as { product?: unknown }).product ?? raw];
    for (const entry of list) {
      const product = catalogProductOf(entry);
      if (product) items.push({ product, question: question(product.title) });
    }
  }
  if (items.length >= 2) stores.push({ name: 'shopify-reference-json', split: splitOf('shopify-reference-json'), items });
  return stores;
}

type Embed = (texts: string[], purpose: 'passage' | 'query') => Promise<Float32Array[]>;

interface Scored {
  store: Store;
  /** Each store's probe floor before the margin. */
  base: number;
  own: { top: number; targetRank: number; targetScore: number }[];
  other: number[];
  nonsense: number[];
}

async function score(stores: readonly Store[], embed: Embed): Promise<Scored[]> {
  const questions = stores.flatMap((s) => s.items.map((i) => i.question));
  const qv = await embed([...questions, ...NONSENSE_QUESTIONS], 'query');
  const probes = await embed([...FLOOR_PROBES], 'query');
  const qIndex = new Map(questions.map((q, i) => [q, i]));
  const out: Scored[] = [];
  for (const store of stores) {
    const vectors = await embed(store.items.map((i) => productEmbedText(i.product)), 'passage');
    const m = new VectorMatrix(store.items.map((i) => ({ kind: 'product' as const, ref: i.product.id })), vectors);
    const base = floorFromProbeScores(probes.map((p) => m.top(p)), 0);
    const own = store.items.map((item) => {
      const scores = m.scores(qv[qIndex.get(item.question)!]!, 'product');
      const rank = scores.findIndex((s) => s.ref === item.product.id);
      return { top: scores[0]!.score, targetRank: rank, targetScore: scores[rank]!.score };
    });
    const other = stores.filter((s) => s !== store).flatMap((s) => s.items.map((i) => m.top(qv[qIndex.get(i.question)!]!)!));
    const nonsense = NONSENSE_QUESTIONS.map((_, i) => m.top(qv[questions.length + i]!)!);
    out.push({ store, base, own, other, nonsense });
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Rates at a cut-off given per store as a function of its base floor. */
function rates(scored: readonly Scored[], cutoff: (s: Scored) => number) {
  let own = 0;
  let answered = 0;
  let found = 0;
  let other = 0;
  let otherAnswered = 0;
  let nonsense = 0;
  let nonsenseAnswered = 0;
  for (const s of scored) {
    const c = cutoff(s);
    for (const q of s.own) {
      own++;
      if (q.top >= c) answered++;
      if (q.targetScore >= c && q.targetRank >= 0 && q.targetRank < 4) found++;
    }
    other += s.other.length;
    otherAnswered += s.other.filter((t) => t >= c).length;
    nonsense += s.nonsense.length;
    nonsenseAnswered += s.nonsense.filter((t) => t >= c).length;
  }
  return {
    stores: scored.length,
    questions: { own, other, nonsense },
    inStoreAnswered: round(answered / Math.max(1, own)),
    inStoreFoundTop4: round(found / Math.max(1, own)),
    otherStoreAnswered: round(otherAnswered / Math.max(1, other)),
    nonsenseAnswered: round(nonsenseAnswered / Math.max(1, nonsense)),
  };
}

/** What a cut-off is worth: own products found, minus twice the wrongly answered (a wrong product misleads; a hand-off costs an email). */
function objective(r: ReturnType<typeof rates>): number {
  return r.inStoreFoundTop4 - 2 * r.otherStoreAnswered - 2 * r.nonsenseAnswered;
}

function fit(scored: readonly Scored[], grid: number[], cutoff: (x: number) => (s: Scored) => number): number {
  let best = { x: grid[0]!, v: -Infinity };
  for (const x of grid) {
    const v = objective(rates(scored, cutoff(x)));
    if (v > best.v + 1e-9) best = { x, v };
  }
  return best.x;
}

export async function merchantLines(stores: readonly Store[], embed: Embed, model: string, fixed: { margin?: number; raw?: number } = {}): Promise<Record<string, unknown>[]> {
  const scored = await score(stores, embed);
  const fitStores = scored.filter((s) => s.store.split === 'fit');
  const heldStores = scored.filter((s) => s.store.split === 'held-out');
  const grid = (lo: number, hi: number, step: number) => Array.from({ length: Math.round((hi - lo) / step) + 1 }, (_, i) => round(lo + i * step));
  const margin = fixed.margin ?? fit(fitStores, grid(-0.1, 0.4, 0.005), (m) => (s) => s.base + m);
  const raw = fixed.raw ?? fit(fitStores, grid(0, 1, 0.005), (t) => () => t);
  const lines: Record<string, unknown>[] = [];
  const floors = scored.map((s) => s.base);
  for (const [split, set] of [['fit', fitStores], ['held-out', heldStores]] as const) {
    lines.push({ bench: 'merchant', model, cutoff: 'calibrated', margin, ...(fixed.margin === undefined ? {} : { fittedOn: 'another model' }), split, ...rates(set, (s) => s.base + margin) });
    lines.push({ bench: 'merchant', model, cutoff: 'raw-cosine', threshold: raw, ...(fixed.raw === undefined ? {} : { fittedOn: 'another model' }), split, ...rates(set, () => raw) });
    if (fixed.margin === undefined && margin !== MERCHANT_FLOOR_MARGIN) {
      lines.push({ bench: 'merchant', model, cutoff: 'calibrated-in-use', margin: MERCHANT_FLOOR_MARGIN, split, ...rates(set, (s) => s.base + MERCHANT_FLOOR_MARGIN) });
    }
  }
  lines.push({ bench: 'merchant', model, probeFloors: { min: round(Math.min(...floors)), max: round(Math.max(...floors)) }, stores: scored.length, items: stores.reduce((n, s) => n + s.items.length, 0) });
  return lines;
}
