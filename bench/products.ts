import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { availabilityKey, normaliseAvailability } from '../extension/shopping/extract/availability';
import { cleanText } from '../extension/shopping/extract/clean-text';
import { extractWithVerdict } from '../extension/shopping/extract/extract-product';
import type { ExtractedProduct } from '../shared/schemas/products';

/**
 * `npm run bench -- products [--pages DIR] [--split all|fit|held-out]`: runs the product's own
 * extractor (extension/shopping/extract) over every page a `manifest.jsonl` names and compares it with
 * the manifest's `ground_truth` (what the page's own structured data states).
 *
 * - is-product: every page counts; positive = `page_kind` "product". A page without product markup
 *   still counts here (a person sees a product on it).
 * - name, brand, price, currency, availability, sku, gtin: a page counts for a field when its ground
 *   truth states the field (non-null; price only when it is a plain number). recall = correct / pages;
 *   precision = correct / pages where the extractor gave a value. Strings are compared after decoding
 *   entities, collapsing whitespace and ignoring case; prices numerically (0.5 % tolerance);
 *   availability by its schema.org name.
 * - split: pages are assigned by a hash of their site, so the held-out quarter is other stores, never
 *   seen while fitting the extractor (`fit` = the other three quarters).
 */

export interface ManifestRow {
  id: string;
  file: string;
  url: string;
  site: string;
  page_kind: string;
  ground_truth: Record<string, unknown> | null;
}

export const FIELDS = ['name', 'brand', 'price', 'currency', 'availability', 'sku', 'gtin'] as const;
type Field = (typeof FIELDS)[number];

/** Rows of any manifest laid out like the reference one; missing fields get safe defaults (site from
 * the URL; a page without `page_kind` is a product when it has ground truth). */
export function loadManifest(dir: string): ManifestRow[] {
  const path = resolve(dir, 'manifest.jsonl');
  if (!existsSync(path)) throw new Error(`${path} not found: --pages DIR needs a manifest.jsonl`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const raw = JSON.parse(l) as Partial<ManifestRow> & { ground_truth_human?: unknown };
      if (typeof raw.file !== 'string') throw new Error(`manifest line ${i + 1} names no file`);
      const url = typeof raw.url === 'string' && raw.url ? raw.url : `https://page-${i + 1}.invalid/`;
      let site = raw.site;
      if (typeof site !== 'string' || !site) {
        try {
          site = new URL(url).hostname;
        } catch {
          site = '';
        }
      }
      const groundTruth = raw.ground_truth ?? null;
      const kind = typeof raw.page_kind === 'string' ? raw.page_kind : groundTruth || raw.ground_truth_human ? 'product' : 'non-product';
      return { id: raw.id ?? raw.file, file: raw.file, url, site, page_kind: kind, ground_truth: groundTruth };
    });
}

export function readPage(dir: string, row: ManifestRow): string {
  const buf = readFileSync(resolve(dir, row.file));
  return (row.file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/** FNV-1a of the site: a quarter of the sites are held out from fitting. */
export function splitOf(site: string): 'fit' | 'held-out' {
  let h = 0x811c9dc5;
  for (let i = 0; i < site.length; i++) h = Math.imul(h ^ site.charCodeAt(i), 0x01000193) >>> 0;
  return h % 4 === 0 ? 'held-out' : 'fit';
}

function norm(v: unknown): string {
  return (cleanText(String(v), 4096) ?? '').toLowerCase().normalize('NFKC');
}

/** The manifest's value for a field, null when the markup does not state it (price: only a plain number). */
export function truthOf(row: ManifestRow, field: Field): unknown {
  const gt = row.ground_truth;
  if (!gt) return null;
  const v = gt[field];
  if (field === 'price') return typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : null;
  return v === undefined || v === '' ? null : v;
}

function predicted(p: ExtractedProduct | null, field: Field): unknown {
  if (!p) return null;
  return p[field] ?? null;
}

export function fieldMatches(field: Field, got: unknown, want: unknown): boolean {
  if (field === 'price') {
    const g = Number(got);
    const w = Number(want);
    return Number.isFinite(g) && Math.abs(g - w) <= Math.max(0.005, Math.abs(w) * 0.005);
  }
  if (field === 'availability') {
    const g = normaliseAvailability(String(got));
    const w = normaliseAvailability(String(want));
    return !!g && !!w && availabilityKey(g) === availabilityKey(w);
  }
  return norm(got) === norm(want);
}

export interface PageResult {
  row: ManifestRow;
  product: ExtractedProduct | null;
  verdict: string;
  ms: number;
}

export function runPages(dir: string, split: 'all' | 'fit' | 'held-out' = 'all'): PageResult[] {
  return loadManifest(dir)
    .filter((row) => split === 'all' || splitOf(row.site) === split)
    .map((row) => {
      const html = readPage(dir, row);
      const t0 = performance.now();
      const { product, verdict } = extractWithVerdict(html, row.url);
      return { row, product, verdict, ms: performance.now() - t0 };
    });
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function productLines(results: PageResult[], extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of results) {
    const isProduct = r.row.page_kind === 'product';
    if (r.product && isProduct) tp++;
    else if (r.product) fp++;
    else if (isProduct) fn++;
  }
  lines.push({ bench: 'products', field: 'is-product', precision: round(tp / Math.max(1, tp + fp)), recall: round(tp / Math.max(1, tp + fn)), pages: results.length, ...extra });
  for (const field of FIELDS) {
    let pages = 0;
    let given = 0;
    let correct = 0;
    for (const r of results) {
      const want = truthOf(r.row, field);
      if (want === null) continue;
      pages++;
      const got = predicted(r.product, field);
      if (got === null) continue;
      given++;
      if (fieldMatches(field, got, want)) correct++;
    }
    lines.push({ bench: 'products', field, precision: round(correct / Math.max(1, given)), recall: round(correct / Math.max(1, pages)), pages, ...extra });
  }
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  lines.push({ bench: 'products', field: 'extract-ms', p50: round(ms[Math.floor(ms.length / 2)] ?? 0), p95: round(ms[Math.floor(ms.length * 0.95)] ?? 0), pages: results.length, ...extra });
  return lines;
}

/** Pages where the extractor and the manifest disagree (for fitting: run on the fit split only). */
export function mismatches(results: PageResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const isProduct = r.row.page_kind === 'product';
    if (!!r.product !== isProduct) out.push(`${r.row.site} is-product want ${isProduct} got ${!!r.product} (${r.verdict}) ${r.row.id}`);
    for (const field of FIELDS) {
      const want = truthOf(r.row, field);
      if (want === null) continue;
      const got = predicted(r.product, field);
      if (got === null || !fieldMatches(field, got, want)) out.push(`${r.row.site} ${field} want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
    }
  }
  return out;
}
