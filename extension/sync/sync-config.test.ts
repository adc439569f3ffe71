import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createDb, type CalicoDb } from '@/db/database';
import { createAccount, signOut } from './accounts';
import { memoryArea, type KeyValueArea } from './key-value-area';
import { CONFIG_KEY, readConfig, TOKEN_KEY } from './sync-config';
import { STATUS_KEY } from './sync-status';
import { makeDevice, WORKER } from './test-support/devices';
import { MemoryServer } from './test-support/memory-server';

/** Everything a content script could read of sync: the values sync keeps in chrome.storage.local. */
async function readableByContentScripts(area: KeyValueArea): Promise<string> {
  return JSON.stringify([await area.get(CONFIG_KEY), await area.get(STATUS_KEY)]);
}

let db: CalicoDb;
let n = 0;
beforeEach(() => {
  db = createDb(`sync-config-${++n}`);
});
afterEach(() => db.close());

describe('the device token', () => {
  test('is never in chrome.storage.local (content scripts can read it), only in the extension database', async () => {
    const server = new MemoryServer();
    const device = makeDevice(server);
    const config = await createAccount(WORKER, 'laptop', device.deps);
    const token = config.account!.token;
    expect(token).toMatch(/^clt_/);
    expect(await readableByContentScripts(device.area)).not.toContain(token);
    expect((await device.db.state.get(TOKEN_KEY))?.value).toBe(token);
    expect((await readConfig(device.area, device.db)).account!.token).toBe(token);
    // Sync works with it.
    expect((await device.sync()).state).toBe('idle');

    await signOut(device.deps);
    expect(await device.db.state.get(TOKEN_KEY)).toBeUndefined();
    expect((await readConfig(device.area, device.db)).account).toBeNull();
  });

  test('a token an older version stored in chrome.storage.local is moved into the database on first read', async () => {
    const area = memoryArea();
    const legacy = { workerUrl: WORKER, enabled: true, account: { userId: 'usr_1', deviceId: 'dev_1', token: 'clt_legacy_secret', expiresAt: 9e12, deviceName: 'old' } };
    await area.set(CONFIG_KEY, legacy);
    const config = await readConfig(area, db);
    expect(config.account).toMatchObject({ userId: 'usr_1', token: 'clt_legacy_secret' });
    expect(await readableByContentScripts(area)).not.toContain('clt_legacy_secret');
    expect((await db.state.get(TOKEN_KEY))?.value).toBe('clt_legacy_secret');
    expect((await readConfig(area, db)).account!.token).toBe('clt_legacy_secret');
  });

  test('an account whose token is gone (database cleared) reads as signed out', async () => {
    const area = memoryArea();
    await area.set(CONFIG_KEY, { workerUrl: WORKER, enabled: true, account: { userId: 'usr_1', deviceId: 'dev_1', token: '', expiresAt: 9e12, deviceName: 'old' } });
    expect((await readConfig(area, db)).account).toBeNull();
  });
});
