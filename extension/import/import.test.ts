import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { changesSince, putRecords } from '@/db/change-log';
import { exportAll, exportToJson } from '@/export/export-json';
import { Highlight, Page } from '@shared/schemas/records';
import { parseHypothesis } from './parse-hypothesis';
import { parseKindle } from './parse-kindle';
import { parseKindleDate } from './parse-kindle-date';
import { parseReadwise } from './parse-readwise';
import { parseCalicoLobster } from './parse-calicolobster';
import { importRecords } from './import-records';
import { importId } from './import-id';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('import');
});
afterEach(() => dropTestDb(db));

describe('Hypothesis', () => {
  const parsed = parseHypothesis(fixture('hypothesis-api.json'));

  it('maps quote, affixes, position, note, tags, dates and the normalised uri', () => {
    expect(parsed.highlights).toHaveLength(2);
    const h = parsed.highlights[0]!;
    expect(Highlight.parse(h)).toEqual(h);
    expect(h.url).toBe('https://example.org/essays/attention');
    expect(h.pageTitle).toBe('On Attention');
    expect(h.text).toBe('Attention is the scarcest resource a reader has');
    expect(h.selectors).toEqual([
      { type: 'TextQuoteSelector', exact: h.text, prefix: 'As the last chapter argued, ', suffix: ', and every page spends it.' },
      { type: 'TextPositionSelector', start: 1520, end: 1640 },
    ]);
    expect(h.note).toBe('This is the core claim.\n\n#attention #reading-notes');
    expect(h.createdAt).toBe(Date.UTC(2025, 2, 3, 10, 0, 0, 123));
    expect(h.updatedAt).toBe(Date.UTC(2025, 2, 4, 8, 30));
    expect(h.id).toBe(importId('hypothesis', 'Zx3kQm9aEe-abc123XYZ'));
  });

  it('makes one page per uri, dated by its earliest highlight', () => {
    expect(parsed.pages).toHaveLength(1);
    const p = parsed.pages[0]!;
    expect(Page.parse(p)).toEqual(p);
    expect(p.capturedAt).toBe(Date.UTC(2025, 2, 3, 10, 0, 0, 123));
    expect(p.text).toContain('every page spends it');
  });

  it('reports page notes, replies and bad dates as skipped, with reasons', () => {
    expect(parsed.skipped.map((s) => s.reason)).toEqual([
      'page note without quoted text',
      'reply to another annotation (no quote of its own)',
      'unparseable date "last tuesday"',
    ]);
  });

  it('refuses a file that is not an annotation export with a clear error', () => {
    expect(() => parseHypothesis('{"total": 0}')).toThrow(/Not a Hypothesis export/);
    expect(() => parseHypothesis('nope')).toThrow(/not JSON/);
  });
});

describe('Kindle', () => {
  const parsed = parseKindle(fixture('my-clippings.txt'));

  it('reads BOM + CRLF clippings, splits title and author, attaches notes', () => {
    expect(parsed.highlights.map((h) => h.text)).toEqual([
      'Reading is a conversation with someone who cannot interrupt you.',
      'Clarity about what matters provides clarity about what does not.',
    ]);
    const [a, b] = parsed.highlights;
    expect(a!.pageTitle).toBe('The Pragmatic Reader: Notes (On Books)');
    expect(a!.url).toBe('kindle://book/the-pragmatic-reader-notes-on-books-jane-q-author');
    expect(a!.site).toBe('kindle');
    expect(a!.note).toBe('Compare with Montaigne.');
    expect(a!.createdAt).toBe(Date.UTC(2025, 2, 3, 10, 0, 0));
    expect(b!.createdAt).toBe(Date.UTC(2025, 2, 5, 21, 7, 12));
    expect(parsed.pages.map((p) => [p.title, p.byline])).toEqual([
      ['The Pragmatic Reader: Notes (On Books)', 'Jane Q. Author'],
      ['Deep Work', 'Cal Newport'],
    ]);
  });

  it('skips bookmarks, empty highlights and unreadable dates, saying why', () => {
    expect(parsed.skipped.map((s) => s.reason)).toEqual([
      'bookmark without text',
      'unparseable date "Someday, 99 Smarch 2025 10:00:00"',
      'empty quote',
    ]);
  });

  it('parses both English date layouts and rejects impossible ones', () => {
    expect(parseKindleDate('Monday, 3 March 2025 10:00:00')).toBe(Date.UTC(2025, 2, 3, 10));
    expect(parseKindleDate('Wednesday, March 5, 2025 12:07:12 AM')).toBe(Date.UTC(2025, 2, 5, 0, 7, 12));
    expect(parseKindleDate('Friday, 31 February 2025 10:00:00')).toBeNaN();
    expect(parseKindleDate('lundi 3 mars 2025 10:00:00')).toBeNaN();
  });

  it('dedupes a clipping Kindle repeated in the same file', () => {
    const text = fixture('my-clippings.txt');
    const twice = parseKindle(text + text.replace(/^\uFEFF/, ''));
    expect(twice.highlights).toHaveLength(2);
  });

  it('refuses a file without separators', () => {
    expect(() => parseKindle('just some text')).toThrow(/My Clippings/);
  });
});

describe('Readwise', () => {
  const parsed = parseReadwise(fixture('readwise-export.csv'));

  it('reads quoted multi-line cells, notes, tags, colours and dates', () => {
    expect(parsed.highlights).toHaveLength(3);
    const [a, b, c] = parsed.highlights;
    expect(a!.note).toBe('Put this on the wall, "really"\n\n#focus #work #productivity');
    expect(a!.url).toBe('readwise://book/deep-work-cal-newport');
    expect(a!.createdAt).toBe(Date.UTC(2025, 2, 5, 21, 7, 12));
    expect(b!.text).toBe('A quote that spans\ntwo lines, with a comma.');
    expect(b!.color).toBe('blue');
    // A title that is a web address becomes the page key, normalised.
    expect(c!.url).toBe('https://blog.test/feeds');
    expect(c!.site).toBe('blog.test');
    expect(c!.color).toBe('yellow');
    expect(parsed.pages).toHaveLength(2);
  });

  it('skips empty highlights and bad dates', () => {
    expect(parsed.skipped.map((s) => s.reason)).toEqual(['empty quote', 'unparseable date "not a date"']);
  });

  it('refuses a CSV without the Readwise columns', () => {
    expect(() => parseReadwise('a,b\n1,2\n')).toThrow(/missing column\(s\) Highlight, Book Title, Highlighted at/);
  });
});

describe('over-long text', () => {
  it('is skipped, not cut', () => {
    const csv = `Highlight,Book Title,Highlighted at\n"${'x'.repeat(20_001)}",Long,2025-01-01 00:00:00\n`;
    const r = parseReadwise(csv);
    expect(r.highlights).toHaveLength(0);
    expect(r.skipped[0]!.reason).toBe('quote longer than 20000 characters');
  });
});

describe('importRecords', () => {
  it('writes through the change log, and a re-import adds nothing', async () => {
    const parsed = parseKindle(fixture('my-clippings.txt'));
    const first = await importRecords(parsed, db);
    expect(first).toMatchObject({ highlights: 2, pages: 2, alreadyPresent: 0 });
    expect(first.skipped).toHaveLength(3);
    const logged = await changesSince(0, 100, db);
    expect(logged.map((c) => c.table).sort()).toEqual(['highlights', 'highlights', 'pages', 'pages']);
    // Imported pages carry content signals from their text (no document: DOM measures are null).
    for (const p of await db.pages.toArray()) expect(p.signals).toMatchObject({ v: 1, spam: false, boilerplateRatio: null });

    const again = await importRecords(parseKindle(fixture('my-clippings.txt')), db);
    expect(again).toMatchObject({ highlights: 0, pages: 0, alreadyPresent: 4 });
    expect(await db.highlights.count()).toBe(2);
    expect(await changesSince(logged.at(-1)!.seq!, 100, db)).toHaveLength(0);
  });

  it('never replaces a page the user captured by visiting it', async () => {
    const visited: Page = { url: 'https://example.org/essays/attention', site: 'example.org', title: 'On Attention', text: 'the full captured article', excerpt: '', byline: '', siteName: '', lang: 'en', wordCount: 4, truncated: false, capturedAt: 1, updatedAt: 1 };
    await putRecords('pages', [visited], db);
    const r = await importRecords(parseHypothesis(fixture('hypothesis-api.json')), db);
    expect(r).toMatchObject({ highlights: 2, pages: 0, alreadyPresent: 1 });
    expect((await db.pages.get(visited.url))!.text).toBe('the full captured article');
  });

  it('round-trips our own JSON export into an empty database', async () => {
    await importRecords(parseHypothesis(fixture('hypothesis-api.json')), db);
    await importRecords(parseReadwise(fixture('readwise-export.csv')), db);
    const exported = await exportAll(db);
    const other = await openTestDb('import-rt');
    try {
      const r = await importRecords(parseCalicoLobster(exportToJson(exported)), other);
      expect(r).toMatchObject({ highlights: 5, pages: 3, skipped: [] });
      const back = await exportAll(other);
      const byKey = <T,>(xs: T[], k: (x: T) => string) => [...xs].sort((a, b) => k(a).localeCompare(k(b)));
      expect(byKey(back.highlights, (h) => h.id)).toEqual(byKey(exported.highlights, (h) => h.id));
      expect(byKey(back.pages, (p) => p.url)).toEqual(byKey(exported.pages, (p) => p.url));
      expect((await importRecords(parseCalicoLobster(exportToJson(exported)), other)).highlights).toBe(0);
    } finally {
      await dropTestDb(other);
    }
  });

  it('reports bad rows of our own export and keeps the good ones', () => {
    const r = parseCalicoLobster(JSON.stringify({ format: 'calicolobster-export', schemaVersion: 1, highlights: [{ id: 'x', text: 'bad' }], pages: [] }));
    expect(r.highlights).toHaveLength(0);
    expect(r.skipped[0]!.item).toBe('highlights 1: bad');
    expect(r.skipped[0]!.reason).toMatch(/^invalid record: id/);
    expect(() => parseCalicoLobster('{"format":"other"}')).toThrow(/Not a CalicoLobster export/);
  });
});
