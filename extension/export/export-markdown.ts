import type { Highlight, Page, Search } from '@shared/schemas/records';
import type { ExportFile } from './export-json';

/**
 * A human-readable export: highlights grouped by page (with notes), pages visited, searches. Every piece
 * of captured text is escaped, so a page title can't become a link, an image or raw HTML in whatever
 * renders the file.
 */

/** Escapes text for inline Markdown: HTML-significant characters become entities, inline Markdown
 * punctuation is backslash-escaped, and line breaks become spaces (a title can't start a new block). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#!|~])/g, '\\$1')
    // List and heading markers only mean something at the start of a line.
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A link only for http(s) URLs, written in the <…> form with the characters it can't hold encoded. */
export function markdownLink(label: string, url: string): string {
  const text = escapeMarkdown(label || url);
  if (!/^https?:\/\//i.test(url)) return `${text} (${escapeMarkdown(url)})`;
  const safe = url.replace(/[<>\s"'`]/g, (c) => encodeURIComponent(c));
  return `[${text}](<${safe}>)`;
}

function blockQuote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `> ${escapeMarkdown(line)}`.trimEnd())
    .join('\n');
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function exportToMarkdown(file: Pick<ExportFile, 'highlights' | 'pages' | 'searches' | 'exportedAt'>): string {
  const out: string[] = ['# CalicoLobster export', '', `Exported ${new Date(file.exportedAt).toISOString()}`, ''];

  out.push('## Highlights', '');
  const byPage = new Map<string, Highlight[]>();
  for (const h of [...file.highlights].sort((a, b) => a.createdAt - b.createdAt)) {
    byPage.set(h.url, [...(byPage.get(h.url) ?? []), h]);
  }
  if (byPage.size === 0) out.push('_None._', '');
  for (const [url, highlights] of byPage) {
    out.push(`### ${markdownLink(highlights[0]!.pageTitle, url)}`, '');
    for (const h of highlights) {
      out.push(blockQuote(h.text), '');
      out.push(`*${h.color}, ${day(h.createdAt)}*`, '');
      if (h.note.trim()) out.push(`Note: ${escapeMarkdown(h.note)}`, '');
    }
  }

  out.push('## Pages visited', '');
  const pages: Page[] = [...file.pages].sort((a, b) => b.capturedAt - a.capturedAt);
  if (pages.length === 0) out.push('_None._');
  for (const p of pages) out.push(`- ${day(p.capturedAt)} — ${markdownLink(p.title, p.url)}`);
  out.push('');

  out.push('## Searches', '');
  const searches: Search[] = [...file.searches].sort((a, b) => b.createdAt - a.createdAt);
  if (searches.length === 0) out.push('_None._');
  for (const s of searches) out.push(`- ${day(s.createdAt)} — ${escapeMarkdown(s.engine)}: ${markdownLink(s.query, s.url)}`);
  out.push('');
  return out.join('\n');
}
