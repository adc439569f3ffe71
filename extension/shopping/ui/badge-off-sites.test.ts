// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp, type App } from 'vue';
import { createDb, setDbForTesting, type CalicoDb } from '@/db/database';
import { badgeOffSites, setBadgeOff } from '../memory/product-repository';
import { badgeSiteOf } from './badge-site';
import BadgeOffSites from './BadgeOffSites.vue';

let app: App | undefined;
let host: HTMLElement;
let db: CalicoDb;
let n = 0;

const $ = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const $$ = (id: string) => [...host.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

async function until<T>(probe: () => T, what: string, timeout = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(() => {
  db = createDb(`badge-off-ui-${++n}`);
  setDbForTesting(db);
  host = document.createElement('div');
  document.body.append(host);
});

afterEach(() => {
  app?.unmount();
  host.remove();
  setDbForTesting(undefined);
  db.close();
});

describe('badge-off sites in the options', () => {
  test('lists the sites where the badge is off, adds one typed or pasted, and switches one back on', async () => {
    await setBadgeOff('dear.example', true, db);
    app = createApp(BadgeOffSites);
    app.mount(host);
    await until(() => $$('badge-off-site').length === 1, 'the stored site');
    expect($('badge-off-site')!.dataset.site).toBe('dear.example');

    const input = $('badge-off-input') as HTMLInputElement;
    input.value = 'not a site!';
    input.dispatchEvent(new Event('input'));
    $('badge-off-add')!.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => $('badge-off-error'), 'the refusal');
    expect(await badgeOffSites(db)).toEqual(['dear.example']);

    input.value = 'https://Shop.Example:8443/products/kettle?x=1';
    input.dispatchEvent(new Event('input'));
    $('badge-off-add')!.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => $$('badge-off-site').length === 2, 'the added site');
    expect(await badgeOffSites(db)).toEqual(['dear.example', 'shop.example']);
    expect($('badge-off-error')).toBeNull();

    ($$('badge-off-site')[0]!.querySelector('[data-testid="badge-off-remove"]') as HTMLElement).click();
    await until(() => $$('badge-off-site').length === 1, 'the site switched back on');
    expect(await badgeOffSites(db)).toEqual(['shop.example']);
  });

  test('reads a site from a host or a URL, and refuses what is not one', () => {
    expect(badgeSiteOf(' WWW.Shop.example ')).toBe('www.shop.example');
    expect(badgeSiteOf('http://127.0.0.1:3000/p')).toBe('127.0.0.1');
    expect(badgeSiteOf('')).toBeNull();
    expect(badgeSiteOf('two words')).toBeNull();
    expect(badgeSiteOf('a'.repeat(3000))).toBeNull();
  });
});
