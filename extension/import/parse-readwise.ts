import Papa from 'papaparse';
import type { Highlight } from '@shared/schemas/records';
import { normalizeUrl, siteOf } from '@/capture/normalize-url';
import { buildHighlight, isSkipped, label, pagesFor } from './build-records';
import { slug } from './import-id';
import type { ParsedImport, Skipped } from './types';

/**
 * Readwise's CSV export: Highlight, Book Title, Book Author, Amazon Book ID, Note, Color, Tags,
 * Location Type, Location, Highlighted at, Document tags. It has no URL column: a book or article is
 * keyed `readwise://book/<slug of title and author>` unless its title is itself a web address.
 */

const REQUIRED = ['Highlight', 'Book Title', 'Highlighted at'];

/** "2025-03-03 10:00:00+00:00" (Readwise's usual form), ISO, or without a zone (read as UTC). */
export function parseReadwiseDate(raw: string): number {
  let s = raw.trim().replace(' ', 'T');
  if (!s) return NaN;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += 'Z';
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return NaN;
  return Date.parse(s);
}

function tagsOf(...cells: string[]): string[] {
  return cells.flatMap((c) => c.split(',')).map((t) => t.trim()).filter(Boolean);
}

export function readwiseBookUrl(title: string, author: string): string {
  return normalizeUrl(title) ?? `readwise://book/${slug(author ? `${title} ${author}` : title)}`;
}

export function parseReadwise(text: string): ParsedImport {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  const fields = result.meta.fields ?? [];
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length) throw new Error(`Not a Readwise CSV export: missing column(s) ${missing.join(', ')}.`);

  const skipped: Skipped[] = result.errors
    .filter((e) => e.row !== undefined)
    .map((e) => ({ item: `row ${(e.row ?? 0) + 2}`, reason: `CSV error: ${e.message}` }));
  const badRows = new Set(result.errors.map((e) => e.row));
  const highlights = new Map<string, Highlight>();
  const authors = new Map<string, string>();
  result.data.forEach((row, i) => {
    if (badRows.has(i)) return;
    const cell = (k: string) => (row[k] ?? '').trim();
    const title = cell('Book Title') || 'Untitled';
    const author = cell('Book Author');
    const what = label(cell('Highlight'), title);
    const createdAt = parseReadwiseDate(cell('Highlighted at'));
    if (!cell('Highlight')) return void skipped.push({ item: `${title} (row ${i + 2})`, reason: 'empty quote' });
    if (Number.isNaN(createdAt)) return void skipped.push({ item: what, reason: `unparseable date "${cell('Highlighted at')}"` });
    const url = readwiseBookUrl(title, author);
    authors.set(url, author);
    const built = buildHighlight({
      source: 'readwise',
      url,
      site: url.startsWith('readwise:') ? 'readwise' : siteOf(url),
      title,
      quote: row['Highlight'] ?? '',
      location: `${cell('Location Type')} ${cell('Location')}`.trim(),
      note: cell('Note'),
      tags: tagsOf(cell('Tags'), cell('Document tags')),
      color: cell('Color'),
      createdAt,
    });
    if (isSkipped(built)) skipped.push(built);
    else highlights.set(built.id, built);
  });
  const list = [...highlights.values()];
  return { highlights: list, pages: pagesFor(list, (u) => authors.get(u) ?? ''), skipped };
}
