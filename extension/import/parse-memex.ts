import type { Highlight } from '@shared/schemas/records';
import { normalizeUrl, siteOf } from '@/capture/normalize-url';
import { buildHighlight, isSkipped, label, pagesFor, textPage } from './build-records';
import { dateOf, list, obj, parseJsonExport, str } from './export-values';
import { htmlToText } from './html-text';
import type { ParsedImport, Skipped } from './types';

/**
 * Memex (WorldBrain) data, as its database tables: `pages` (url without scheme, fullUrl, fullTitle,
 * text), `annotations` (url = "<page>/#<ms>", pageUrl, pageTitle, body = the highlighted passage, often
 * HTML, comment = the note, selector.quote, color, createdWhen, lastEdited), `tags` ({ name, url } on
 * a page or an annotation) and `visits` ({ url, time }). Read from an object of those arrays, from a
 * Dexie export of Memex's IndexedDB (`{ formatName: "dexie", data: { data: [{ tableName, rows }] } }`),
 * or a bare array of annotations. Pages whose text Memex kept are imported with it; highlights'
 * pages otherwise hold their passages (as every importer does).
 */

function tablesOf(data: unknown): Record<string, unknown[]> | null {
  if (Array.isArray(data)) return { annotations: data };
  const o = obj(data);
  const dexie = list(obj(o.data).data);
  if (o.formatName === 'dexie' || dexie.length) {
    const tables: Record<string, unknown[]> = {};
    for (const t of dexie) tables[str(obj(t).tableName)] = list(obj(t).rows);
    return tables;
  }
  if (Array.isArray(o.annotations) || Array.isArray(o.pages)) return { annotations: list(o.annotations), pages: list(o.pages), tags: list(o.tags), visits: list(o.visits) };
  return null;
}

export function parseMemex(text: string): ParsedImport {
  const tables = tablesOf(parseJsonExport(text, 'a Memex export'));
  if (!tables) throw new Error('Not a Memex export: expected its "annotations" and "pages" tables (or a Dexie export of its database).');
  const skipped: Skipped[] = [];
  const pagesByKey = new Map<string, Record<string, unknown>>();
  for (const p of list(tables.pages)) pagesByKey.set(str(obj(p).url), obj(p));
  const tagsByUrl = new Map<string, string[]>();
  for (const t of list(tables.tags)) {
    const { name, url } = obj(t);
    if (typeof name === 'string' && typeof url === 'string') tagsByUrl.set(url, [...(tagsByUrl.get(url) ?? []), name]);
  }
  const firstVisit = new Map<string, number>();
  for (const v of list(tables.visits)) {
    const key = str(obj(v).url);
    const at = dateOf(obj(v).time);
    if (key && Number.isFinite(at)) firstVisit.set(key, Math.min(at, firstVisit.get(key) ?? Infinity));
  }
  // Memex keys pages by URL without the scheme; the page row's fullUrl is the real address.
  const urlOf = (key: string) => {
    const full = str(pagesByKey.get(key)?.fullUrl);
    return normalizeUrl(full) ?? normalizeUrl(`https://${key}`);
  };

  const highlights = new Map<string, Highlight>();
  list(tables.annotations).forEach((raw, index) => {
    const a = obj(raw);
    const quote = htmlToText(str(a.body) || str(obj(a.selector).quote));
    const note = htmlToText(str(a.comment));
    const what = label(quote || note, `annotation ${index + 1}`);
    const id = str(a.url);
    const pageKey = str(a.pageUrl);
    if (!id) return void skipped.push({ item: what, reason: 'annotation has no id (url)' });
    if (!quote.trim()) return void skipped.push({ item: what, reason: 'page note without highlighted text' });
    const url = pageKey ? urlOf(pageKey) : null;
    if (!url) return void skipped.push({ item: what, reason: `annotation's page "${pageKey}" is not a web address` });
    const created = dateOf(a.createdWhen);
    if (Number.isNaN(created)) return void skipped.push({ item: what, reason: 'unparseable date' });
    const edited = dateOf(a.lastEdited);
    const built = buildHighlight({
      source: 'memex',
      sourceId: id,
      url,
      site: siteOf(url),
      title: str(a.pageTitle) || str(pagesByKey.get(pageKey)?.fullTitle) || url,
      quote,
      note,
      tags: [...(tagsByUrl.get(id) ?? []), ...(tagsByUrl.get(pageKey) ?? [])],
      color: str(a.color),
      createdAt: created,
      updatedAt: Number.isNaN(edited) ? created : edited,
    });
    if (isSkipped(built)) skipped.push(built);
    else highlights.set(built.id, built);
  });

  const found = [...highlights.values()];
  const pages = new Map(pagesFor(found).map((p) => [p.url, p]));
  // Pages Memex kept the text of (saved, bookmarked or visited ones, with or without highlights).
  for (const [key, row] of pagesByKey) {
    const url = urlOf(key);
    const title = str(row.fullTitle);
    const body = str(row.text).trim();
    if (!url) {
      skipped.push({ item: label(title, key || 'page'), reason: 'page address is not a web address' });
      continue;
    }
    if (!body) {
      if (!pages.has(url)) skipped.push({ item: label(title, url), reason: 'Memex kept no text for this page' });
      continue;
    }
    const existing = pages.get(url);
    const at = Math.min(firstVisit.get(key) ?? Infinity, existing?.capturedAt ?? Infinity);
    if (!Number.isFinite(at)) {
      skipped.push({ item: label(title, url), reason: 'no visit or highlight date for this page' });
      continue;
    }
    pages.set(url, textPage({ url, title: title || existing?.title || url, text: body, capturedAt: at, updatedAt: existing?.updatedAt }));
  }
  return { highlights: found, pages: [...pages.values()], skipped };
}
