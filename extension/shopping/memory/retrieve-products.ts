import type { CitedSource } from '@shared/schemas/assistant';
import type { PriceObservation, ProductRecord } from '@shared/schemas/products';
import { getDb, type CalicoDb } from '@/db/database';
import { nameTokens } from '../extract/clean-text';
import { formatPrice } from './product-insight';
import { groupProducts, type ProductGroup } from './product-grouping';
import { listObservations, listProducts } from './product-repository';

/**
 * Product memory for the assistant's "Shopping" scope: the products (grouped across stores) whose
 * name, brand, specs and store best match the question, each as a numbered source the answer can cite
 * ("[2]"), with its specs, rating and prices written out so a question like "which of these has the
 * longest battery life?" can be answered from the sources alone.
 *
 * Scoring is BM25-like over tokens, fields weighted name ×3, spec names and values ×2, the rest ×1; a
 * question that matches nothing falls back to the most recently seen products (a question about
 * "these" means the ones just looked at).
 */

const MAX_SOURCES = 8;
const TEXT_LIMIT = 3_800;
const HISTORY_POINTS = 8;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function fieldsOf(g: ProductGroup): [string[], number][] {
  const p = g.products[0]!;
  return [
    [nameTokens(g.products.map((x) => x.name).join(' ')), 3],
    [nameTokens(g.products.flatMap((x) => x.specs.map((s) => `${s.name} ${s.value}`)).join(' ')), 2],
    [nameTokens([p.brand, p.model, p.gtin, p.mpn, ...g.products.map((x) => `${x.storeName ?? ''} ${x.storeDomain}`)].join(' ')), 1],
  ];
}

export function describeGroup(g: ProductGroup, observations: readonly PriceObservation[]): string {
  const p = g.products[0]!;
  const lines = [p.name, p.brand ? `Brand: ${p.brand}` : '', p.rating !== null ? `Rating: ${p.rating}${p.reviewCount !== null ? ` from ${p.reviewCount} reviews` : ''}` : ''];
  for (const s of p.specs) lines.push(`${s.name}: ${s.value}`);
  for (const x of g.products) {
    const seen = observations.filter((o) => o.productId === x.id).sort((a, b) => a.seenAt - b.seenAt);
    const low = seen.length ? Math.min(...seen.map((o) => o.price)) : null;
    lines.push(
      `${x.storeName ?? x.storeDomain}: ${x.price !== null ? formatPrice(x.price, x.currency) : 'no price'}${x.availability ? `, ${x.availability}` : ''}` +
        `${low !== null && low !== x.price ? ` (lowest seen ${formatPrice(low, x.currency)})` : ''}, last seen ${day(x.lastSeenAt)}`,
    );
    // The price history, newest last, so "was it cheaper before?" can be answered and cited.
    if (seen.length > 1) lines.push(`Price history at ${x.storeName ?? x.storeDomain}: ${seen.slice(-HISTORY_POINTS).map((o) => `${day(o.seenAt)} ${formatPrice(o.price, o.currency)}`).join(', ')}`);
  }
  // Each line ends as a sentence: the extractive engine quotes whole sentences, so a spec line is
  // quotable on its own.
  return lines
    .filter(Boolean)
    .map((l) => (/[.!?]$/.test(l) ? l : `${l}.`))
    .join('\n')
    .slice(0, TEXT_LIMIT);
}

export function rankGroups(question: string, groups: readonly ProductGroup[]): ProductGroup[] {
  const terms = [...new Set(nameTokens(question))];
  const docs = groups.map((g) => fieldsOf(g));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d.flatMap(([tokens]) => tokens))) df.set(t, (df.get(t) ?? 0) + 1);
  const n = groups.length;
  const scored = groups.map((g, i) => {
    let score = 0;
    for (const term of terms) {
      const idf = Math.log(1 + (n - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));
      for (const [tokens, weight] of docs[i]!) {
        const tf = tokens.filter((t) => t === term).length;
        if (tf) score += weight * idf * ((tf * 2.2) / (tf + 1.2));
      }
    }
    return { g, score };
  });
  const hits = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
  return (hits.length ? hits.map((s) => s.g) : [...groups]).slice(0, MAX_SOURCES);
}

/** What a product citation shows beside its name: the lowest price now and where, and how many stores. */
export function detailOf(g: ProductGroup): string {
  const priced = g.products.filter((x) => x.price !== null).sort((a, b) => a.price! - b.price!);
  const best = priced[0];
  const stores = new Set(g.products.map((x) => x.storeDomain)).size;
  const where = best ? `${formatPrice(best.price!, best.currency)} at ${best.storeName ?? best.storeDomain}` : `${g.products[0]!.storeName ?? g.products[0]!.storeDomain}, no price`;
  return `${where}${stores > 1 ? ` · ${stores} stores` : ''}`.slice(0, 300);
}

/** The cited sources for a Shopping-scope question, best first. */
export async function retrieveProducts(question: string, db: CalicoDb = getDb()): Promise<CitedSource[]> {
  const [products, observations] = await Promise.all([listProducts(db), listObservations(db)]);
  return sourcesFor(question, products, observations);
}

export function sourcesFor(question: string, products: readonly ProductRecord[], observations: readonly PriceObservation[]): CitedSource[] {
  return rankGroups(question, groupProducts(products)).map((g, i) => {
    const p = g.products[0]!;
    return { n: i + 1, kind: 'product' as const, sourceId: p.id, url: p.url, title: p.name.slice(0, 2048), text: describeGroup(g, observations), detail: detailOf(g) };
  });
}
