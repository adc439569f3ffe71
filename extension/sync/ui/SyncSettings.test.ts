// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createApp, type App } from 'vue';
import { createDb, setDbForTesting, type CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';
import { joinAccount } from '../accounts';
import { memoryArea, setAreaForTesting } from '../key-value-area';
import { highlight, WORKER } from '../test-support/devices';
import { MemoryServer } from '../test-support/memory-server';
import SyncSettings from './SyncSettings.vue';

let app: App | undefined;
let host: HTMLElement;
let db: CalicoDb;
let server: MemoryServer;
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

function type(id: string, text: string) {
  const input = $(id) as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event('input'));
}

beforeEach(() => {
  server = new MemoryServer();
  vi.stubGlobal('fetch', server.fetch);
  setAreaForTesting(memoryArea());
  db = createDb(`sync-ui-${++n}`);
  setDbForTesting(db);
  host = document.createElement('div');
  document.body.append(host);
  app = createApp(SyncSettings);
  app.mount(host);
});

afterEach(() => {
  app?.unmount();
  host.remove();
  setAreaForTesting(undefined);
  setDbForTesting(undefined);
  db.close();
  vi.unstubAllGlobals();
});

describe('SyncSettings', () => {
  test('create an account, show a pairing code, list and revoke devices, sync now, switch off, sign out', async () => {
    expect(($('sync-worker-url') as HTMLInputElement).value).toBe('http://127.0.0.1:8787');
    type('sync-worker-url', WORKER);
    type('sync-device-name', 'Laptop');
    $('sync-create-account')!.click();
    await until(() => $('sync-account'), 'the signed-in line');
    expect($('sync-account')!.textContent).toContain('Laptop');
    await until(() => $('sync-status')?.getAttribute('data-state') === 'idle', 'an idle status after the first sync');
    expect($('sync-last-synced')!.textContent).toBe('just now');

    $('sync-pairing-show')!.click();
    const code = await until(() => $('sync-pairing-code')?.getAttribute('data-code'), 'a pairing code');
    await joinAccount(WORKER, code, 'Desktop', { area: memoryArea(), db: createDb(`sync-ui-other-${n}`) });
    $('sync-devices-refresh')!.click();
    await until(() => $$('sync-device-item').length === 2, 'two devices');
    const other = $$('sync-device-item').find((d) => d.getAttribute('data-current') === 'false')!;
    expect(other.textContent).toContain('Desktop');
    other.querySelector<HTMLElement>('[data-testid="sync-device-revoke"]')!.click();
    await until(() => $$('sync-device-item').find((d) => d.getAttribute('data-device-id') === other.getAttribute('data-device-id'))?.getAttribute('data-revoked') === 'true', 'the other device revoked');

    await putRecords('highlights', [highlight('hl_ui000001')], db);
    await until(() => $('sync-pending')?.textContent === '1', 'one record waiting');
    $('sync-now')!.click();
    await until(() => $('sync-pending')?.textContent === '0', 'nothing waiting after Sync now');
    expect(server.pushes.at(-1)!.changes.map((c) => c.key)).toEqual(['hl_ui000001']);

    const toggle = $('sync-enabled') as HTMLInputElement;
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    await until(() => $('sync-status')?.getAttribute('data-state') === 'off', 'sync off');

    $('sync-sign-out')!.click();
    await until(() => $('sync-create-account'), 'the signed-out form again');
  });

  test('an unreachable server shows the error and when it will try again', async () => {
    type('sync-worker-url', WORKER);
    $('sync-create-account')!.click();
    await until(() => $('sync-account'), 'the signed-in line');
    await until(() => $('sync-status')?.getAttribute('data-state') === 'idle', 'first sync');
    server.offline = true;
    $('sync-now')!.click();
    await until(() => $('sync-status')?.getAttribute('data-state') === 'error', 'an error state');
    expect($('sync-error')!.textContent).toMatch(/unreachable.*Next try in \d+ s/s);
  });

  test('a record the server refuses is listed with the reason; Retry pushes it again once the cause is gone', async () => {
    type('sync-worker-url', WORKER);
    $('sync-create-account')!.click();
    await until(() => $('sync-status')?.getAttribute('data-state') === 'idle', 'first sync');
    server.refuse = (change) => (change.key === 'hl_refused1' ? { status: 422, reason: 'too large for the server' } : null);
    await putRecords('highlights', [highlight('hl_refused1'), highlight('hl_accepted')], db);
    $('sync-now')!.click();
    await until(() => $$('sync-refused-item').length === 1, 'one refused record');
    expect($('sync-refused-item')!.getAttribute('data-key')).toBe('hl_refused1');
    expect($('sync-refused-reason')!.textContent).toBe('too large for the server');
    await until(() => $('sync-status')?.getAttribute('data-state') === 'idle', 'idle: a refusal is not a sync error');

    server.refuse = null;
    $('sync-refused-retry')!.click();
    await until(() => !$('sync-refused'), 'the refused list gone after Retry');
    expect(server.pushes.at(-1)!.changes.map((c) => c.key)).toEqual(['hl_refused1']);
  });
});
