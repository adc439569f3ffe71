import type { Highlight } from '@shared/schemas/records';
import { normalizeUrl, siteOf } from '@/capture/normalize-url';
import { buildHighlight, isSkipped, label, pagesFor } from './build-records';
import type { ParsedImport, Skipped } from './types';

/**
 * Hypothesis annotations, as its API returns them (`{ rows: [...] }` from /api/search), as the client's
 * "Export annotations" JSON (`{ annotations: [...] }`), or a bare array of them. Each row: `id`, `uri`,
 * `text` (the note), `created`/`updated` (ISO), `tags`, `document.title`, and
 * `target[0].selector[]` with TextQuoteSelector / TextPositionSelector.
 */

interface HypothesisSelector {
  type?: unknown;
  exact?: unknown;
  prefix?: unknown;
  suffix?: unknown;
  start?: unknown;
  end?: unknown;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function rowsOf(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object') {
    const o = data as Record<string, unknown>;
    if (Array.isArray(o.rows)) return o.rows;
    if (Array.isArray(o.annotations)) return o.annotations;
  }
  return null;
}

export function parseHypothesis(text: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`Not a Hypothesis export: the file is not JSON (${(error as Error).message}).`);
  }
  const rows = rowsOf(data);
  if (!rows) throw new Error('Not a Hypothesis export: expected a list of annotations, or an object with "rows" or "annotations".');

  const highlights = new Map<string, Highlight>();
  const skipped: Skipped[] = [];
  rows.forEach((raw, index) => {
    const row = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const doc = (row.document && typeof row.document === 'object' ? row.document : {}) as Record<string, unknown>;
    const titles = Array.isArray(doc.title) ? doc.title : [doc.title];
    const title = str(titles[0]);
    const target = Array.isArray(row.target) ? (row.target[0] as Record<string, unknown> | undefined) : undefined;
    const selectors = (Array.isArray(target?.selector) ? target.selector : []) as HypothesisSelector[];
    const quoteSel = selectors.find((s) => s?.type === 'TextQuoteSelector');
    const posSel = selectors.find((s) => s?.type === 'TextPositionSelector');
    const note = str(row.text);
    const id = str(row.id);
    const what = label(str(quoteSel?.exact) || note, `annotation ${index + 1}`);

    if (!id) return void skipped.push({ item: what, reason: 'annotation has no id' });
    if (Array.isArray(row.references) && row.references.length) return void skipped.push({ item: what, reason: 'reply to another annotation (no quote of its own)' });
    if (!quoteSel || !str(quoteSel.exact).trim()) return void skipped.push({ item: what, reason: 'page note without quoted text' });
    const rawUri = str(row.uri) || str(target?.source);
    if (!rawUri) return void skipped.push({ item: what, reason: 'annotation has no uri' });
    // PDFs and local files keep their own uri (urn:x-pdf:…, file://…): still the key Hypothesis used.
    const url = normalizeUrl(rawUri) ?? rawUri;
    const created = Date.parse(str(row.created));
    if (Number.isNaN(created)) return void skipped.push({ item: what, reason: `unparseable date "${str(row.created)}"` });
    const updated = Date.parse(str(row.updated));
    const tags = Array.isArray(row.tags) ? row.tags.filter((t): t is string => typeof t === 'string') : [];
    const start = posSel?.start, end = posSel?.end;

    const built = buildHighlight({
      source: 'hypothesis',
      sourceId: id,
      url,
      site: siteOf(url),
      title: title || url,
      quote: str(quoteSel.exact),
      prefix: str(quoteSel.prefix),
      suffix: str(quoteSel.suffix),
      position: typeof start === 'number' && typeof end === 'number' ? { start, end } : undefined,
      note,
      tags,
      createdAt: created,
      updatedAt: Number.isNaN(updated) ? created : updated,
    });
    if (isSkipped(built)) skipped.push(built);
    else highlights.set(built.id, built);
  });
  const list = [...highlights.values()];
  return { highlights: list, pages: pagesFor(list), skipped };
}
