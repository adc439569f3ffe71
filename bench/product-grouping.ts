import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Embedder } from '../extension/ai/embedder';
import { catalogProductOf } from '../worker/src/shopify/catalog';
import { cleanText } from '../extension/shopping/extract/clean-text';
import { brandsAgree, nameMatchScore } from '../extension/shopping/memory/product-grouping';
import type { ProductRecord } from '../shared/schemas/products';
import { EmbeddingCache } from './embed-cache';
import { readPage, splitOf, type PageResult } from './products';

/**
 * `npm run bench -- products` (grouping lines): how well a name similarity tells "the same product in
 * another store" from "another product", and the threshold it needs, fitted on the fit split's pages
 * and reported on the held-out split's (other sites, never seen while fitting).
 *
 * The reference pages hold no product sold by two of their stores, so each product page gives two
 * listings of one product as two stores would name it: the name its structured data states (what the
 * extractor saves) and the page's own <title>, with the separator-delimited parts that name the store
 * (its host's label or its og:site_name) taken off — a second wording of the same item, usually with
 * other words, order and extra detail. Pairs are (listing A of page i, listing B of page j): i = j is
 * the same product; i ≠ j is not, when the brands agree (the grouping's own gate: differing brands are
 * never grouped, so those pairs never reach the threshold). Pages whose title says exactly the name are
 * left out (a pair no similarity could get wrong).
 *
 * Scores: the embedder's cosine of the two names (the bundled model, as the extension would embed a
 * product name) and the word-set overlap (product-grouping.ts nameMatchScore, what grouping uses).
 * The threshold maximises F0.5 on the fit pairs (see fitThreshold).
 */

export interface Listing {
  page: string;
  site: string;
  split: 'fit' | 'held-out';
  record: ProductRecord;
  title: ProductRecord;
}

const SEPARATORS = /\s+[|–—:·•-]\s+|\s*[|–—·•]\s*/;

/** The title's parts minus those that name the store: its host label (ikea for www.ikea.com) or site name. */
export function titleAsListing(title: string, site: string, storeName: string | null): string | null {
  const clean = cleanText(title, 512);
  if (!clean) return null;
  const labels = site
    .toLowerCase()
    .replace(/^www\d?\./, '')
    .split('.')
    .filter((l) => l.length > 2);
  const hostLabel = labels[0] ?? '';
  const store = (storeName ?? '').toLowerCase();
  const parts = clean.split(SEPARATORS).map((p) => p.trim()).filter(Boolean);
  const kept = parts.filter((p) => {
    const low = p.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
    if (!low) return false;
    if (hostLabel && low.includes(hostLabel.replace(/[^\p{L}\p{N}]+/gu, ''))) return false;
    return !(store && low === store.replace(/[^\p{L}\p{N}]+/gu, ''));
  });
  const text = kept.join(' ').trim();
  return text.length >= 3 ? text : null;
}

function pageTitle(html: string): string | null {
  const m = /<title[^>]*>([\s\S]{1,2000}?)<\/title>/i.exec(html);
  return m ? m[1]! : null;
}

const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

export function listingsOf(dir: string, results: readonly PageResult[]): Listing[] {
  const out: Listing[] = [];
  for (const r of results) {
    if (r.row.page_kind !== 'product' || !r.product) continue;
    const raw = pageTitle(readPage(dir, r.row));
    const name = raw ? titleAsListing(raw, r.row.site, r.product.storeName) : null;
    if (!name || key(name) === key(r.product.name)) continue;
    const record = { ...r.product, id: `a:${r.row.id}`, firstSeenAt: 0, lastSeenAt: 0, visitCount: 1, updatedAt: 0 } as ProductRecord;
    // The second listing is the same item in another store: no ids in common, another host.
    const title = { ...record, id: `b:${r.row.id}`, name, gtin: null, mpn: null, sku: null, model: null, storeName: null, storeDomain: 'other-store.invalid' } as ProductRecord;
    out.push({ page: r.row.id, site: r.row.site, split: splitOf(r.row.site), record, title });
  }
  return out;
}

export interface Pair {
  same: boolean;
  split: 'fit' | 'held-out' | 'mixed';
  a: ProductRecord;
  b: ProductRecord;
}

export function pairsOf(listings: readonly Listing[]): Pair[] {
  const pairs: Pair[] = [];
  for (const x of listings) {
    for (const y of listings) {
      if (x !== y && !brandsAgree(x.record, y.title)) continue;
      pairs.push({ same: x === y, split: x.split === y.split ? x.split : 'mixed', a: x.record, b: y.title });
    }
  }
  return pairs;
}

export interface Scored {
  same: boolean;
  score: number;
}

export function quality(scored: readonly Scored[], threshold: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of scored) {
    const said = s.score >= threshold;
    if (said && s.same) tp++;
    else if (said) fp++;
    else if (s.same) fn++;
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const f05 = precision + recall ? (1.25 * precision * recall) / (0.25 * precision + recall) : 0;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { precision: round(precision), recall: round(recall), f1: round(f1), f05: round(f05), pairs: scored.length, same: scored.filter((s) => s.same).length };
}

/**
 * The threshold with the best F0.5 on `scored` (midway between neighbouring scores; ties → higher).
 * F0.5 weighs precision twice: a wrong merge puts another product's price in "cheaper elsewhere" and
 * the compare table, a missed merge only leaves two rows apart.
 */
export function fitThreshold(scored: readonly Scored[]): number {
  const values = [...new Set(scored.map((s) => s.score))].sort((a, b) => a - b);
  let best = { f1: -1, t: 1 };
  for (let i = 0; i < values.length; i++) {
    const t = i === 0 ? values[0]! : (values[i - 1]! + values[i]!) / 2;
    const { f05 } = quality(scored, t);
    if (f05 >= best.f1) best = { f1: f05, t };
  }
  return Math.round(best.t * 1000) / 1000;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export async function groupingLines(dir: string, results: readonly PageResult[], modelsDir: string, current: { jaccard?: number; embedder?: number }): Promise<Record<string, unknown>[]> {
  const listings = listingsOf(dir, results);
  const pairs = pairsOf(listings).filter((p) => p.split !== 'mixed');
  const embedder = await Embedder.load({ localModelPath: modelsDir });
  const cache = new EmbeddingCache(embedder);
  const names = [...new Set(pairs.flatMap((p) => [p.a.name, p.b.name]))];
  const vectors = new Map(names.map((n, i) => [n, i]));
  const embedded = await cache.embed(names, 'passage');
  await embedder.dispose();
  const scorers: Record<string, (p: Pair) => number> = {
    embedder: (p) => cosine(embedded[vectors.get(p.a.name)!]!, embedded[vectors.get(p.b.name)!]!),
    jaccard: (p) => nameMatchScore(p.a, p.b),
  };
  const lines: Record<string, unknown>[] = [];
  for (const [name, score] of Object.entries(scorers)) {
    const of = (split: 'fit' | 'held-out') => pairs.filter((p) => p.split === split).map((p) => ({ same: p.same, score: score(p) }));
    const fit = of('fit');
    const heldOut = of('held-out');
    const threshold = fitThreshold(fit);
    const inUse = current[name as keyof typeof current];
    const held = quality(heldOut, threshold);
    lines.push({
      bench: 'products',
      field: `grouping-${name}`,
      // Top level, like the extraction lines: the held-out pairs at the threshold fitted on the others.
      precision: held.precision,
      recall: held.recall,
      pairs: held.pairs,
      threshold,
      fit: quality(fit, threshold),
      heldOut: held,
      // The threshold the extension uses now, on the same held-out pairs.
      ...(inUse !== undefined ? { inUse: { threshold: inUse, heldOut: quality(heldOut, inUse) } } : {}),
      listings: listings.length,
    });
  }
  // Would the embedder add anything on top of the word overlap? Same when either says so: the word
  // threshold as fitted above, the embedder's fitted again given it.
  const wordT = lines.find((l) => l.field === 'grouping-jaccard')!.threshold as number;
  const either = (split: 'fit' | 'held-out', t: number) =>
    pairs.filter((p) => p.split === split).map((p) => ({ same: p.same, score: scorers.jaccard!(p) >= wordT ? 1 : scorers.embedder!(p) >= t ? 0.5 : 0 }));
  const candidates = [...new Set(pairs.filter((p) => p.split === 'fit').map((p) => Math.round(scorers.embedder!(p) * 1000) / 1000))].sort((a, b) => a - b);
  let bestE = { t: 1, f05: -1 };
  for (const t of candidates) {
    const { f05 } = quality(either('fit', t), 0.5);
    if (f05 >= bestE.f05) bestE = { t, f05 };
  }
  const heldEither = quality(either('held-out', bestE.t), 0.5);
  lines.push({
    bench: 'products',
    field: 'grouping-either',
    precision: heldEither.precision,
    recall: heldEither.recall,
    pairs: heldEither.pairs,
    threshold: { jaccard: wordT, embedder: bestE.t },
    fit: quality(either('fit', bestE.t), 0.5),
    heldOut: heldEither,
    listings: listings.length,
  });
  return lines;
}

/**
 * Beyond one page's two wordings: what grouping itself decides (sameProduct: GTIN, then MPN, model,
 * then the fitted name overlap) on the two kinds of real pairs the reference data holds.
 * - Cross-representation: a Shopify product's storefront JSON (`/products/<handle>.js`, read with the
 *   worker's catalogProductOf) and the HTML page of that product (matched by handle in the page URL),
 *   as two listings from two sources; every other product page with an agreeing brand is a negative.
 * - Hard negatives: two different product pages of the same stated brand (the same maker, another
 *   model), where a loose name match would merge them.
 * The reference pages hold no product sold by two of their stores (no GTIN, MPN or name shared across
 * sites), so there is no cross-store positive to measure; the lines say how many pairs they rest on.
 */
export function groupingDecisionLines(dir: string, results: readonly PageResult[], sameProduct: (a: ProductRecord, b: ProductRecord) => boolean): Record<string, unknown>[] {
  const pages = results.filter((r) => r.row.page_kind === 'product' && r.product);
  const recordOf = (r: PageResult) => ({ ...r.product!, id: `p:${r.row.id}`, firstSeenAt: 0, lastSeenAt: 0, visitCount: 1, updatedAt: 0 }) as ProductRecord;
  const manifest = readFileSync(resolve(dir, 'shopify/manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string });
  const scored: { same: boolean; said: boolean; split: 'fit' | 'held-out' }[] = [];
  for (const row of manifest) {
    const raw = JSON.parse(readFileSync(resolve(dir, row.file), 'utf8')) as unknown;
    for (const entry of Array.isArray(raw) ? raw : [(raw as { product?: unknown }).product ?? raw]) {
      const c = catalogProductOf(entry);
      const page = c && pages.find((r) => r.row.url.endsWith(`/products/${c.handle}`));
      if (!c || !page) continue;
      const variant = c.variants[0]!;
      const json = {
        ...recordOf(page),
        id: `json:${c.id}`,
        name: c.title,
        brand: c.vendor || null,
        model: null,
        gtin: null,
        mpn: null,
        sku: variant.sku,
        price: variant.price,
        storeDomain: 'storefront-json.invalid',
        storeName: null,
      } as ProductRecord;
      for (const other of pages) {
        const rec = recordOf(other);
        if (other !== page && !brandsAgree(json, rec)) continue;
        scored.push({ same: other === page, said: sameProduct(json, rec), split: splitOf(other.row.site) });
      }
    }
  }
  const count = (list: typeof scored) => {
    const tp = list.filter((s) => s.same && s.said).length;
    const fp = list.filter((s) => !s.same && s.said).length;
    const fn = list.filter((s) => s.same && !s.said).length;
    return { precision: tp + fp ? Math.round((tp / (tp + fp)) * 1000) / 1000 : null, recall: tp + fn ? Math.round((tp / (tp + fn)) * 1000) / 1000 : null, pairs: list.length, same: tp + fn };
  };
  const lines: Record<string, unknown>[] = [{ bench: 'products', field: 'grouping-json-vs-page', decision: 'sameProduct', ...count(scored) }];
  // Same brand, different page: every pair that grouping merges is a wrong merge.
  const hard: { merged: boolean; split: 'fit' | 'held-out' }[] = [];
  for (let i = 0; i < pages.length; i++) {
    for (let j = i + 1; j < pages.length; j++) {
      const a = recordOf(pages[i]!);
      const b = recordOf(pages[j]!);
      if (!a.brand || !b.brand || a.brand.toLowerCase() !== b.brand.toLowerCase()) continue;
      const split = splitOf(pages[i]!.row.site) === 'held-out' || splitOf(pages[j]!.row.site) === 'held-out' ? 'held-out' : 'fit';
      hard.push({ merged: sameProduct(a, b), split });
    }
  }
  for (const split of ['fit', 'held-out'] as const) {
    const list = hard.filter((h) => h.split === split);
    lines.push({ bench: 'products', field: 'grouping-hard-negatives', decision: 'sameProduct', split, pairs: list.length, wronglyMerged: list.filter((h) => h.merged).length });
  }
  return lines;
}
