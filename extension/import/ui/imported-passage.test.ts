// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, h } from 'vue';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { isOpenableUrl, openUrl } from '@/panel/open-result';
import { importRecords } from '../import-records';
import { parseKindle } from '../parse-kindle';
import ImportedPassage from './ImportedPassage.vue';

let db: CalicoDb;
let host: HTMLElement;
beforeEach(async () => {
  db = await openTestDb('imported-passage');
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(async () => {
  host.remove();
  await dropTestDb(db);
  vi.unstubAllGlobals();
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('imported books in the side panel', () => {
  it('are not opened as tabs: openUrl refuses a kindle:// or readwise:// key with a clear error', async () => {
    const create = vi.fn();
    vi.stubGlobal('chrome', { tabs: { query: vi.fn(async () => []), create } });
    expect(isOpenableUrl('kindle://book/x')).toBe(false);
    expect(isOpenableUrl('readwise://book/x')).toBe(false);
    expect(isOpenableUrl('https://example.org/')).toBe(true);
    await expect(openUrl('kindle://book/the-book')).rejects.toThrow(/comes from an import \(kindle:\/\/book…\) and has no web page/);
    expect(create).not.toHaveBeenCalled();
  });

  it('show the highlight, or the imported text of the book, in place', async () => {
    await importRecords(parseKindle(readFileSync(join(__dirname, '..', 'fixtures', 'my-clippings.txt'), 'utf8')), db);
    const hl = (await db.highlights.toArray())[0]!;
    createApp({ render: () => hView(hl) }).mount(host);
    await until(() => Boolean(host.querySelector('[data-testid=imported-passage-text]')?.textContent));
    expect(host.querySelector('[data-testid=imported-passage-text]')!.textContent).toBe(hl.text);
    expect(hl.url.startsWith('kindle://')).toBe(true);

    host.innerHTML = '';
    const page = (await db.pages.toArray())[0]!;
    createApp({ render: () => hPage(page.url, page.title) }).mount(host);
    await until(() => Boolean(host.querySelector('[data-testid=imported-passage-text]')?.textContent));
    expect(host.querySelector('[data-testid=imported-passage-text]')!.textContent).toBe(page.text.slice(0, 3000));
  });
});

const hView = (x: { id: string; url: string; pageTitle: string }) => h(ImportedPassage, { db, item: { kind: 'highlight', key: x.id, url: x.url, title: x.pageTitle } });
const hPage = (url: string, title: string) => h(ImportedPassage, { db, item: { kind: 'page', key: url, url, title } });
