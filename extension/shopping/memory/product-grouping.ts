import type { ProductRecord } from '@shared/schemas/products';
import { nameTokens } from '../extract/clean-text';

/**
 * One product across stores. Two records are the same product when they share a GTIN (leading zeros
 * ignored: GTIN-12 and GTIN-13 of one item differ by one), else an MPN with the same brand, else brand +
 * model, else their names are near enough: the token-set overlap (Jaccard over name words, with the
 * brand's words and the store's own words removed) is at least NAME_SIMILARITY. Differing brands are
 * never grouped. Grouping is transitive (union-find), so A~B and B~C put A, B, C together.
 *
 * NAME_SIMILARITY is measured, not guessed: `npm run bench -- products` (bench/product-grouping.ts)
 * pairs each reference product page's structured name with the same item as its page title words it,
 * against every other product of an agreeing brand, fits the threshold for the best F0.5 (a wrong merge
 * costs more than a missed one) on the fit split's sites and reports the held-out sites. Measured
 * (73 listings, nameMatchScore): 0.167 — fit P 1.00 / R 0.887, held-out P 1.00 / R 0.909 (the earlier
 * guess 0.6 reached R 0.273 there). The embedder's cosine of the two names (bundled USE-lite) was
 * measured the same way and did worse (fitted 0.776: held-out P 1.00 / R 0.818), so grouping does not
 * embed product names.
 */
export const NAME_SIMILARITY = 0.167;

export interface ProductGroup {
  key: string;
  products: ProductRecord[];
}

function gtinKey(gtin: string | null): string | null {
  const digits = gtin?.replace(/\D/g, '').replace(/^0+/, '') ?? '';
  return digits.length >= 7 ? digits : null;
}

const low = (s: string | null) => (s ? s.trim().toLowerCase() : null);

function nameSet(p: ProductRecord): Set<string> {
  const drop = new Set([...nameTokens(p.brand), ...nameTokens(p.storeName), ...nameTokens(p.storeDomain)]);
  return new Set(nameTokens(p.name).filter((t) => !drop.has(t)));
}

export function nameSimilarity(a: ProductRecord, b: ProductRecord): number {
  const sa = nameSet(a);
  const sb = nameSet(b);
  if (!sa.size || !sb.size) return 0;
  let both = 0;
  for (const t of sa) if (sb.has(t)) both++;
  return both / (sa.size + sb.size - both);
}

const brandWords = (s: string | null) => (s ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Differing brands are never one product; a missing brand does not decide. A brand stated inside a
 * longer one agrees with it ("Panasonic" and a page's "Ver mais artigos da Marca: Panasonic": a shop's
 * JSON and its own HTML page, measured by `npm run bench -- products`, grouping-json-vs-page): the
 * shorter's words must appear, in order, as whole words of the longer.
 */
export function brandsAgree(a: ProductRecord, b: ProductRecord): boolean {
  const wa = brandWords(a.brand);
  const wb = brandWords(b.brand);
  if (!wa.length || !wb.length) return true;
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  for (let i = 0; i + short.length <= long.length; i++) if (short.every((w, k) => long[i + k] === w)) return true;
  return false;
}

/**
 * The name score grouping compares with NAME_SIMILARITY: the word-set overlap, counted only when the
 * names share at least two words — one shared word is the category ("kettle"), not the product.
 */
export function nameMatchScore(a: ProductRecord, b: ProductRecord): number {
  const sa = nameSet(a);
  const sb = nameSet(b);
  let both = 0;
  for (const t of sa) if (sb.has(t)) both++;
  return both >= 2 ? both / (sa.size + sb.size - both) : 0;
}

export function sameProduct(a: ProductRecord, b: ProductRecord): boolean {
  const ga = gtinKey(a.gtin);
  const gb = gtinKey(b.gtin);
  if (ga && gb) return ga === gb;
  const brandA = low(a.brand);
  const brandB = low(b.brand);
  const agree = brandsAgree(a, b);
  if (a.mpn && b.mpn && agree) return low(a.mpn) === low(b.mpn);
  if (a.model && b.model && brandA && brandA === brandB) return low(a.model) === low(b.model);
  return agree && nameMatchScore(a, b) >= NAME_SIMILARITY;
}

export function groupProducts(products: readonly ProductRecord[]): ProductGroup[] {
  const parent = products.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < products.length; i++) {
    for (let j = i + 1; j < products.length; j++) {
      if (find(i) !== find(j) && sameProduct(products[i]!, products[j]!)) parent[find(j)] = find(i);
    }
  }
  const byRoot = new Map<number, ProductRecord[]>();
  products.forEach((p, i) => byRoot.set(find(i), [...(byRoot.get(find(i)) ?? []), p]));
  return [...byRoot.values()]
    .map((list) => ({ key: list.map((p) => p.id).sort()[0]!, products: list.sort((a, b) => b.lastSeenAt - a.lastSeenAt) }))
    .sort((a, b) => b.products[0]!.lastSeenAt - a.products[0]!.lastSeenAt);
}

/** Products like this one but not the same: same brand or a shared category spec, some name overlap. */
export function isSimilar(a: ProductRecord, b: ProductRecord): boolean {
  if (sameProduct(a, b)) return false;
  const cat = (p: ProductRecord) => low(p.specs.find((s) => s.name.toLowerCase() === 'category')?.value ?? null);
  const related = (!!a.brand && low(a.brand) === low(b.brand)) || (!!cat(a) && cat(a) === cat(b));
  return related || nameSimilarity(a, b) >= 0.25;
}
