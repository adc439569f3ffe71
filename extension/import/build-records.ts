import { Highlight, HighlightColor, Page, type Selector } from '@shared/schemas/records';
import { siteOf } from '@/capture/normalize-url';
import { importId } from './import-id';
import type { Skipped } from './types';

/** Bounds from the record schemas, checked up front so the skip reason is readable, not a zod dump. */
export const MAX_QUOTE = 20_000;
export const MAX_NOTE = 50_000;
const MAX_AFFIX = 256;
const MAX_PAGE_TEXT = 200_000;
const MAX_TITLE = 2048;

export interface ImportedItem {
  source: string;
  /** The item's id in the source, when it has one; otherwise the id is derived from url + quote + location. */
  sourceId?: string;
  url: string;
  site: string;
  title: string;
  quote: string;
  prefix?: string;
  suffix?: string;
  position?: { start: number; end: number };
  /** Where in the source it was (Kindle location, Readwise location), part of the id when there is no source id. */
  location?: string;
  note?: string;
  tags?: readonly string[];
  color?: string;
  createdAt: number;
  updatedAt?: number;
}

/** Label for skip reports: the start of the quote, or the title. */
export function label(text: string, fallback: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return fallback;
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

const COLOR_ALIASES: Record<string, HighlightColor> = { orange: 'yellow', red: 'pink', violet: 'purple' };

function colorOf(raw: string | undefined): HighlightColor {
  const c = (raw ?? '').trim().toLowerCase();
  const parsed = HighlightColor.safeParse(c);
  return parsed.success ? parsed.data : (COLOR_ALIASES[c] ?? 'yellow');
}

/** Highlights have no tag field; tags go at the end of the note as `#tag` so search still finds them. */
function noteWithTags(note: string, tags: readonly string[] | undefined): string {
  const clean = (tags ?? []).map((t) => t.trim().replace(/\s+/g, '-')).filter(Boolean);
  if (!clean.length) return note;
  const line = clean.map((t) => '#' + t).join(' ');
  return note ? `${note}\n\n${line}` : line;
}

export function buildHighlight(item: ImportedItem): Highlight | Skipped {
  const quote = item.quote.trim();
  const what = label(quote, item.title || item.url);
  if (!quote) return { item: what, reason: 'empty quote' };
  if (quote.length > MAX_QUOTE) return { item: what, reason: `quote longer than ${MAX_QUOTE} characters` };
  const note = noteWithTags((item.note ?? '').trim(), item.tags);
  if (note.length > MAX_NOTE) return { item: what, reason: `note longer than ${MAX_NOTE} characters` };
  if (!Number.isFinite(item.createdAt) || item.createdAt < 0) return { item: what, reason: 'unparseable date' };

  const selectors: Selector[] = [
    {
      type: 'TextQuoteSelector',
      exact: quote,
      // Affixes only help anchoring; a long one is cut to its end nearest the quote rather than dropped.
      prefix: (item.prefix ?? '').slice(-MAX_AFFIX),
      suffix: (item.suffix ?? '').slice(0, MAX_AFFIX),
    },
  ];
  if (item.position && item.position.end >= item.position.start && item.position.start >= 0) {
    selectors.push({ type: 'TextPositionSelector', start: Math.floor(item.position.start), end: Math.floor(item.position.end) });
  }
  const id = item.sourceId ? importId(item.source, item.sourceId) : importId(item.source, item.url, item.location ?? '', quote);
  const parsed = Highlight.safeParse({
    id,
    url: item.url,
    site: item.site.slice(0, MAX_TITLE),
    pageTitle: item.title.slice(0, MAX_TITLE),
    text: quote,
    color: colorOf(item.color),
    note,
    selectors,
    anchorStatus: 'pending',
    createdAt: Math.floor(item.createdAt),
    updatedAt: Math.floor(Math.max(item.createdAt, item.updatedAt ?? item.createdAt)),
  });
  if (!parsed.success) return { item: what, reason: 'invalid record: ' + parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return parsed.data;
}

export function isSkipped(x: Highlight | Skipped): x is Skipped {
  return 'reason' in x;
}

/**
 * One page per URL/book, its text the imported passages, so the source is findable by what was
 * highlighted in it even when it was never visited (books never are). The earliest highlight dates it.
 */
export function pagesFor(highlights: readonly Highlight[], byline: (url: string) => string = () => ''): Page[] {
  const groups = new Map<string, Highlight[]>();
  for (const h of highlights) {
    const list = groups.get(h.url);
    if (list) list.push(h);
    else groups.set(h.url, [h]);
  }
  const pages: Page[] = [];
  for (const [url, list] of groups) {
    const first = list[0]!;
    let text = list.map((h) => h.text).join('\n\n');
    const truncated = text.length > MAX_PAGE_TEXT;
    if (truncated) text = text.slice(0, MAX_PAGE_TEXT);
    pages.push(
      Page.parse({
        url,
        site: first.site,
        title: first.pageTitle,
        text,
        excerpt: first.text.slice(0, 2000),
        byline: byline(url).slice(0, MAX_TITLE),
        siteName: '',
        lang: '',
        wordCount: text.split(/\s+/).filter(Boolean).length,
        truncated,
        capturedAt: Math.min(...list.map((h) => h.createdAt)),
        updatedAt: Math.max(...list.map((h) => h.updatedAt)),
      }),
    );
  }
  return pages;
}

export interface TextPageInput {
  url: string;
  title: string;
  text: string;
  excerpt?: string;
  byline?: string;
  siteName?: string;
  lang?: string;
  capturedAt: number;
  updatedAt?: number;
}

/** A page from a whole text (an export's article, a connector's document): capped at the schema's
 * bound and marked truncated when cut, its words counted, its fields cut to their bounds. */
export function textPage(input: TextPageInput): Page {
  const text = input.text.slice(0, MAX_PAGE_TEXT);
  return Page.parse({
    url: input.url,
    site: siteOf(input.url),
    title: (input.title || input.url).slice(0, MAX_TITLE),
    text,
    excerpt: (input.excerpt ?? text).slice(0, 2000),
    byline: (input.byline ?? '').slice(0, MAX_TITLE),
    siteName: (input.siteName ?? '').slice(0, MAX_TITLE),
    lang: (input.lang ?? '').slice(0, 35),
    wordCount: text.split(/\s+/).filter(Boolean).length,
    truncated: input.text.length > MAX_PAGE_TEXT,
    capturedAt: input.capturedAt,
    updatedAt: Math.max(input.capturedAt, input.updatedAt ?? input.capturedAt),
  });
}
