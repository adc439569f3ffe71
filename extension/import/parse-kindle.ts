import type { Highlight } from '@shared/schemas/records';
import { buildHighlight, isSkipped, label, pagesFor } from './build-records';
import { slug } from './import-id';
import { parseKindleDate } from './parse-kindle-date';
import type { ParsedImport, Skipped } from './types';

/**
 * Kindle's `My Clippings.txt`: entries separated by `==========`, each a title line "Title (Author)", a
 * metadata line "- Your Highlight on page 12 | Location 123-125 | Added on …", a blank line and the text.
 * Books are not web pages: they are keyed `kindle://book/<slug of title and author>`, a key no captured
 * page can have.
 */

export const KINDLE_SITE = 'kindle';

export function kindleBookUrl(title: string, author: string): string {
  return `kindle://book/${slug(author ? `${title} ${author}` : title)}`;
}

interface Entry {
  title: string;
  author: string;
  kind: 'highlight' | 'note' | 'bookmark' | 'clip' | 'other';
  location: string;
  page: string;
  added: string;
  body: string;
}

function splitTitle(line: string): { title: string; author: string } {
  // The author is the last parenthesised group; titles may hold parentheses of their own.
  const m = /^(.*\S)\s*\(([^()]*)\)\s*$/.exec(line);
  return m ? { title: m[1]!.trim(), author: m[2]!.trim() } : { title: line.trim(), author: '' };
}

function parseEntry(block: string): Entry | null {
  const lines = block.split('\n');
  while (lines.length && !lines[0]!.trim()) lines.shift();
  if (lines.length < 2) return null;
  const { title, author } = splitTitle(lines[0]!);
  const meta = lines[1]!;
  const kindWord = /Your (Highlight|Note|Bookmark|Clip(?:ping)?)/i.exec(meta)?.[1]?.toLowerCase() ?? '';
  const kind = kindWord.startsWith('clip') ? 'clip' : (['highlight', 'note', 'bookmark'].includes(kindWord) ? kindWord : 'other') as Entry['kind'];
  const location = /Location (\d+(?:-\d+)?)/i.exec(meta)?.[1] ?? '';
  const page = /page (\w+(?:-\w+)?)/i.exec(meta)?.[1] ?? '';
  const added = /Added on (.*)$/i.exec(meta)?.[1] ?? '';
  return { title, author, kind, location, page, added, body: lines.slice(2).join('\n').trim() };
}

function locRange(loc: string): [number, number] | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(loc);
  if (!m) return null;
  const a = Number(m[1]);
  // Kindle shortens the end: "1234-45" means 1234–1245.
  let b = m[2] ? Number(m[2]) : a;
  if (m[2] && b < a) b = Number(m[1]!.slice(0, m[1]!.length - m[2].length) + m[2]);
  return [a, b];
}

export function parseKindle(text: string): ParsedImport {
  const clean = text.replace(/\uFEFF/g, '').replace(/\r\n?/g, '\n');
  if (!clean.includes('==========') && clean.trim()) throw new Error('Not a Kindle "My Clippings.txt": no "==========" separators found.');
  const skipped: Skipped[] = [];
  const entries: Entry[] = [];
  clean.split(/^==========\s*$/m).forEach((block, i) => {
    if (!block.trim()) return;
    const e = parseEntry(block);
    if (!e) return void skipped.push({ item: `entry ${i + 1}`, reason: 'not a clipping (too few lines)' });
    entries.push(e);
  });

  const highlights = new Map<string, Highlight>();
  const authors = new Map<string, string>();
  const notes: Entry[] = [];
  const locationById = new Map<string, string>();
  for (const e of entries) {
    const what = label(e.body, e.title || 'untitled');
    if (e.kind === 'bookmark') {
      skipped.push({ item: `${e.title} (location ${e.location || e.page || '?'})`, reason: 'bookmark without text' });
      continue;
    }
    if (e.kind === 'other') {
      skipped.push({ item: what, reason: 'unrecognised clipping kind (only English "Your Highlight/Note/Bookmark" is read)' });
      continue;
    }
    if (e.kind === 'note') {
      notes.push(e);
      continue;
    }
    const createdAt = parseKindleDate(e.added);
    if (Number.isNaN(createdAt)) {
      skipped.push({ item: what, reason: `unparseable date "${e.added}"` });
      continue;
    }
    const url = kindleBookUrl(e.title, e.author);
    authors.set(url, e.author);
    const built = buildHighlight({
      source: 'kindle',
      url,
      site: KINDLE_SITE,
      title: e.title || 'Untitled',
      quote: e.body,
      location: e.location || e.page,
      createdAt,
    });
    if (isSkipped(built)) skipped.push(built);
    // Editing a highlight's extent on the Kindle appends a new clipping; the same text at the same place dedupes.
    else {
      highlights.set(built.id, built);
      locationById.set(built.id, e.location);
    }
  }

  // A note is its own clipping at the location where its highlight ends; attach it there.
  for (const n of notes) {
    const url = kindleBookUrl(n.title, n.author);
    const at = locRange(n.location)?.[1];
    const target = [...highlights.values()].find((h) => {
      if (h.url !== url || at === undefined) return false;
      const range = locRange(locationById.get(h.id) ?? '');
      return range !== null && at >= range[0] && at <= range[1];
    });
    if (!n.body.trim()) skipped.push({ item: `${n.title} (location ${n.location})`, reason: 'empty note' });
    else if (!target) skipped.push({ item: label(n.body, n.title), reason: 'note with no highlight at its location' });
    else highlights.set(target.id, { ...target, note: target.note ? `${target.note}\n\n${n.body}` : n.body });
  }

  const list = [...highlights.values()];
  return { highlights: list, pages: pagesFor(list, (u) => authors.get(u) ?? ''), skipped };
}

