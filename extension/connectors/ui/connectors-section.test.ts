// @vitest-environment happy-dom
import { get } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick } from 'vue';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { startMediaWikiDouble, type MediaWikiDouble } from '../test-support/mediawiki-test-double';
import ConnectorsSection from './ConnectorsSection.vue';

// A GET over node:http: happy-dom's fetch applies a web page's CORS rules, which an extension page with
// host permissions doesn't have.
const nodeFetch = ((url: string) =>
  new Promise<Response>((resolve, reject) =>
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(new Response(body, { status: res.statusCode, headers: { 'retry-after': String(res.headers['retry-after'] ?? '') } })));
    }).on('error', reject),
  )) as unknown as typeof fetch;

let db: CalicoDb;
let host: HTMLElement;
let wiki: MediaWikiDouble;
beforeEach(async () => {
  db = await openTestDb('connectors-ui');
  wiki = await startMediaWikiDouble([{ pageid: 7, title: 'Lobster', text: 'The lobster is a marine crustacean with a long body and a muscular tail.', revid: 1, timestamp: '2025-01-01T00:00:00Z' }]);
  host = document.createElement('div');
  document.body.append(host);
  createApp({ render: () => h(ConnectorsSection, { db, fetchFn: nodeFetch }) }).mount(host);
});
afterEach(async () => {
  host.remove();
  await wiki.close();
  await dropTestDb(db);
});

const $ = (id: string) => host.querySelector(`[data-testid=${id}]`) as HTMLInputElement | null;
const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('ConnectorsSection', () => {
  it('syncs the Wikipedia articles named in the form and reports what it did; the settings are kept', async () => {
    await until(() => $('connectors-section') !== null);
    const set = (id: string, value: string) => {
      const el = $(id)!;
      el.value = value;
      el.dispatchEvent(new Event('input'));
    };
    set('connector-wiki-origin', wiki.origin);
    set('connector-wiki-titles', 'Lobster\nMissing page');
    await nextTick();
    $('connector-wiki-sync')!.click();
    await until(() => $('connector-report') !== null || $('connector-error') !== null);
    expect($('connector-error')?.textContent ?? '').toBe('');
    expect($('connector-report')!.textContent).toContain('Wikipedia: 1 added or updated, 0 unchanged, 0 skipped');
    expect(await db.pages.count()).toBe(1);
    expect((await db.state.get('connector-settings'))!.value).toMatchObject({ wikipedia: { wiki: wiki.origin, titles: ['Lobster', 'Missing page'] } });
  });
});
