import type { Device, PairingCode } from '@shared/schemas/cloud';
import { getDb, type CalicoDb } from '@/db/database';
import { createApiClient } from './api-client';
import { getArea, type KeyValueArea } from './key-value-area';
import { normaliseWorkerUrl, readConfig, updateConfig, type SyncConfig } from './sync-config';
import { resetSyncState } from './sync-state';
import { emptyStatus, STATUS_KEY } from './sync-status';

/**
 * Accounts and devices, as the options page drives them. A new account or a joined one starts sync
 * from scratch for this device (every local record is pushed once, then only changes); signing out
 * forgets the token and sync's bookkeeping but keeps every local record.
 */

export interface AccountDeps {
  db?: CalicoDb;
  area?: KeyValueArea;
  fetch?: typeof fetch;
}

function deps(d: AccountDeps) {
  return { db: d.db ?? getDb(), area: d.area ?? getArea(), fetch: d.fetch };
}

export function defaultDeviceName(): string {
  const nav = globalThis.navigator as (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  const platform = nav?.userAgentData?.platform || nav?.platform || 'this computer';
  return `Browser on ${platform}`;
}

async function signIn(
  workerUrl: string,
  deviceName: string,
  obtain: (api: ReturnType<typeof createApiClient>) => Promise<{ userId: string; deviceId: string; token: string; expiresAt: number }>,
  d: AccountDeps,
): Promise<SyncConfig> {
  const { db, area, fetch } = deps(d);
  const url = normaliseWorkerUrl(workerUrl);
  const creds = await obtain(createApiClient({ baseUrl: url, fetch }));
  await resetSyncState(db);
  await area.set(STATUS_KEY, emptyStatus());
  return updateConfig((c) => ({ ...c, workerUrl: url, enabled: true, account: { ...creds, deviceName } }), area, db);
}

export function createAccount(workerUrl: string, deviceName: string, d: AccountDeps = {}): Promise<SyncConfig> {
  return signIn(workerUrl, deviceName, (api) => api.createAccount(deviceName), d);
}

export function joinAccount(workerUrl: string, code: string, deviceName: string, d: AccountDeps = {}): Promise<SyncConfig> {
  return signIn(workerUrl, deviceName, (api) => api.join(code, deviceName), d);
}

async function authedApi(d: AccountDeps) {
  const { area, fetch, db } = deps(d);
  const config = await readConfig(area, db);
  if (!config.account) throw new Error('This device has no sync account.');
  return createApiClient({ baseUrl: config.workerUrl, token: config.account.token, fetch });
}

export async function createPairingCode(d: AccountDeps = {}): Promise<PairingCode> {
  return (await authedApi(d)).createPairingCode();
}

export async function listDevices(d: AccountDeps = {}): Promise<Device[]> {
  return (await authedApi(d)).devices();
}

/** Revokes a device of this account; revoking this device also signs it out here. */
export async function revokeDevice(deviceId: string, d: AccountDeps = {}): Promise<void> {
  const { area, db } = deps(d);
  await (await authedApi(d)).revokeDevice(deviceId);
  if ((await readConfig(area, db)).account?.deviceId === deviceId) await signOut(d);
}

export async function signOut(d: AccountDeps = {}): Promise<SyncConfig> {
  const { db, area } = deps(d);
  await resetSyncState(db);
  await area.set(STATUS_KEY, emptyStatus());
  return updateConfig((c) => ({ ...c, account: null }), area, db);
}

export async function setSyncEnabled(enabled: boolean, d: AccountDeps = {}): Promise<SyncConfig> {
  return updateConfig((c) => ({ ...c, enabled }), deps(d).area, deps(d).db);
}

/** The worker URL can change only while signed out: a token belongs to the server that issued it. */
export async function setWorkerUrl(workerUrl: string, d: AccountDeps = {}): Promise<SyncConfig> {
  const url = normaliseWorkerUrl(workerUrl);
  return updateConfig((c) => {
    if (c.account && c.workerUrl !== url) throw new Error('Sign out before changing the sync server.');
    return { ...c, workerUrl: url };
  }, deps(d).area, deps(d).db);
}
