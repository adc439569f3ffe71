// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, h, nextTick } from 'vue';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import ImportSection from './ImportSection.vue';

let db: CalicoDb;
let host: HTMLElement;
beforeEach(async () => {
  db = await openTestDb('import-ui');
  host = document.createElement('div');
  document.body.append(host);
  createApp({ render: () => h(ImportSection, { db }) }).mount(host);
});
afterEach(async () => {
  host.remove();
  await dropTestDb(db);
});

const $ = (id: string) => host.querySelector(`[data-testid=${id}]`);

async function pick(name: string, text: string) {
  const input = $('import-file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { configurable: true, value: [new File([text], name)] });
  input.dispatchEvent(new Event('change'));
}

describe('ImportSection', () => {
  it('imports a Kindle file, lists what it skipped, and a second import adds nothing', async () => {
    const select = $('import-source') as HTMLSelectElement;
    select.value = 'kindle';
    select.dispatchEvent(new Event('change'));
    await nextTick();
    expect(($('import-file') as HTMLInputElement).accept).toContain('.txt');

    const text = readFileSync(join(__dirname, '..', 'fixtures', 'my-clippings.txt'), 'utf8');
    await pick('My Clippings.txt', text);
    await vi.waitFor(() => expect($('import-result')?.textContent).toMatch(/2 highlights, 2 pages imported, 3 skipped/));
    expect($('import-skipped')!.textContent).toContain('bookmark without text');
    expect(await db.highlights.count()).toBe(2);

    await pick('My Clippings.txt', text);
    await vi.waitFor(() => expect($('import-result')?.textContent).toMatch(/0 highlights, 0 pages imported, 3 skipped \(4 already here\)/));
  });

  it('says clearly when the file does not match the chosen source, and writes nothing', async () => {
    await pick('clippings.txt', 'Book (Author)\n- Your Highlight\n\ntext\n==========\n');
    await vi.waitFor(() => expect($('import-error')?.textContent).toMatch(/Not a Hypothesis export.*Nothing was imported/));
    expect($('import-result')).toBeNull();
    expect(await db.highlights.count()).toBe(0);
  });
});
