import type { Highlight, Page } from '@shared/schemas/records';
import { normalizeUrl, siteOf } from '@/capture/normalize-url';
import { buildHighlight, isSkipped, label, pagesFor, textPage } from './build-records';
import { dateOf, list, obj, parseJsonExport, str } from './export-values';
import { htmlToText } from './html-text';
import type { ParsedImport, Skipped } from './types';

/**
 * Omnivore, in the two JSON shapes people have: the export's `metadata_*.json` (an array of saved items:
 * id, slug, title, description, author, url, state, labels, savedAt, updatedAt, publishedAt) and its API's
 * items (GraphQL `search` edges or the API client's `items`, or a bare array) which also carry
 * `highlights` (id, type HIGHLIGHT/NOTE, quote, annotation, prefix, suffix, color, labels, createdAt,
 * updatedAt) and sometimes the article's HTML `content`. Each saved item becomes a page dated when it
 * was saved; each highlight a highlight. The export zip's `highlights/*.md` and `content/*.html` are not
 * read: unpack the zip and import the metadata file.
 */

function itemsOf(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  const o = obj(data);
  const edges = list(obj(obj(o.data).search).edges).length ? list(obj(obj(o.data).search).edges) : list(o.edges);
  if (edges.length) return edges.map((e) => obj(e).node);
  if (Array.isArray(o.items)) return o.items;
  return null;
}

const labelNames = (v: unknown) => list(v).map((l) => (typeof l === 'string' ? l : str(obj(l).name))).filter(Boolean);

export function parseOmnivore(text: string): ParsedImport {
  const items = itemsOf(parseJsonExport(text, 'an Omnivore export'));
  if (!items) throw new Error('Not an Omnivore export: expected its metadata JSON (a list of saved items) or API search results.');
  const skipped: Skipped[] = [];
  const highlights = new Map<string, Highlight>();
  const pages = new Map<string, Page>();

  items.forEach((raw, index) => {
    const item = obj(raw);
    const title = str(item.title);
    const what = label(title, `item ${index + 1}`);
    // `originalArticleUrl` is the page; `url` is the same for web saves, an omnivore.app address for uploads.
    const url = normalizeUrl(str(item.originalArticleUrl)) ?? normalizeUrl(str(item.url));
    if (!url) return void skipped.push({ item: what, reason: 'saved item has no web address' });
    const savedAt = dateOf(item.savedAt ?? item.createdAt);
    if (Number.isNaN(savedAt)) return void skipped.push({ item: what, reason: 'unparseable saved date' });
    const updated = dateOf(item.updatedAt);
    const tags = labelNames(item.labels);

    for (const [j, h] of list(item.highlights).entries()) {
      const hl = obj(h);
      const quote = str(hl.quote);
      const hWhat = label(quote || str(hl.annotation), `${what}, highlight ${j + 1}`);
      if (str(hl.type) === 'REDACTION') continue; // Omnivore's own hidden passages: not the reader's highlights
      if (!quote.trim()) {
        skipped.push({ item: hWhat, reason: 'note without highlighted text' });
        continue;
      }
      const id = str(hl.id);
      const created = dateOf(hl.createdAt);
      const edited = dateOf(hl.updatedAt);
      const built = buildHighlight({
        source: 'omnivore',
        sourceId: id || undefined,
        url,
        site: siteOf(url),
        title: title || url,
        quote,
        prefix: str(hl.prefix),
        suffix: str(hl.suffix),
        note: str(hl.annotation),
        tags: [...tags, ...labelNames(hl.labels)],
        color: str(hl.color),
        location: String(j),
        createdAt: Number.isNaN(created) ? savedAt : created,
        updatedAt: Number.isNaN(edited) ? undefined : edited,
      });
      if (isSkipped(built)) skipped.push(built);
      else highlights.set(built.id, built);
    }

    // The page: the article's text when the export has it, else what the metadata says of it.
    const body = htmlToText(str(item.content)) || [title, str(item.description)].filter(Boolean).join('\n\n');
    pages.set(url, textPage({ url, title, text: body, excerpt: str(item.description), byline: str(item.author), siteName: str(item.siteName), capturedAt: savedAt, updatedAt: Number.isNaN(updated) ? undefined : updated }));
  });

  const found = [...highlights.values()];
  // A highlight whose item had no page (never: each item makes one) would still get one from pagesFor.
  for (const p of pagesFor(found)) if (!pages.has(p.url)) pages.set(p.url, p);
  return { highlights: found, pages: [...pages.values()], skipped };
}
