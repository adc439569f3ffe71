import { z } from 'zod';
import { getDb, type CalicoDb } from '@/db/database';
import { getArea, type KeyValueArea } from './key-value-area';

/**
 * This device's sync configuration. The public part (worker URL, on/off, account and device ids, device
 * name) lives in chrome.storage.local, where every surface can watch it; the device token does not:
 * content scripts can read chrome.storage.local (and the area can't simply be restricted, since
 * highlights/change-signal.ts reaches content scripts through it). The token lives in the extension's
 * IndexedDB `state` table (TOKEN_KEY), which only extension pages, the background and the offscreen
 * document can open. A token an older version left in storage.local is moved there on first read.
 * The token is shown to no one and leaves the device only in the Authorization header of requests to
 * the configured worker.
 */

/** Where the device token is kept (db `state` table). Not under `sync.`: signing out deletes it on purpose. */
export const TOKEN_KEY = 'secret.syncToken';

export const CONFIG_KEY = 'sync.config';
export const DEFAULT_WORKER_URL = 'http://127.0.0.1:8787';

export const SyncAccount = z.object({
  userId: z.string().min(1),
  deviceId: z.string().min(1),
  /** Only in what readConfig returns; '' in what watchConfig passes on (storage never holds it). */
  token: z.string().default(''),
  expiresAt: z.number().int(),
  deviceName: z.string(),
});
export type SyncAccount = z.infer<typeof SyncAccount>;

export const SyncConfig = z.object({
  workerUrl: z.url().default(DEFAULT_WORKER_URL),
  enabled: z.boolean().default(true),
  account: SyncAccount.nullable().default(null),
});
export type SyncConfig = z.infer<typeof SyncConfig>;

export function defaultConfig(): SyncConfig {
  return { workerUrl: DEFAULT_WORKER_URL, enabled: true, account: null };
}

async function readToken(db: CalicoDb): Promise<string> {
  const value = (await db.state.get(TOKEN_KEY))?.value;
  return typeof value === 'string' ? value : '';
}

/** The configuration with the device token. A token still in storage.local (stored by an older
 * version) is moved into the database first. */
export async function readConfig(area: KeyValueArea = getArea(), db: CalicoDb = getDb()): Promise<SyncConfig> {
  const parsed = SyncConfig.safeParse((await area.get(CONFIG_KEY)) ?? {});
  if (!parsed.success) return defaultConfig();
  const config = parsed.data;
  if (!config.account) return config;
  if (config.account.token) {
    await db.state.put({ key: TOKEN_KEY, value: config.account.token });
    await area.set(CONFIG_KEY, withoutToken(config));
    return config;
  }
  const token = await readToken(db);
  // An account without its token (the database was cleared) can't sync: treat it as signed out.
  return token ? { ...config, account: { ...config.account, token } } : { ...config, account: null };
}

function withoutToken(config: SyncConfig): SyncConfig {
  return config.account ? { ...config, account: { ...config.account, token: '' } } : config;
}

export async function updateConfig(change: (current: SyncConfig) => SyncConfig, area: KeyValueArea = getArea(), db: CalicoDb = getDb()): Promise<SyncConfig> {
  const next = SyncConfig.parse(change(await readConfig(area, db)));
  if (next.account?.token) await db.state.put({ key: TOKEN_KEY, value: next.account.token });
  else await db.state.delete(TOKEN_KEY);
  await area.set(CONFIG_KEY, withoutToken(next));
  return next;
}

/** Worker URLs are stored without a trailing slash so paths join cleanly. */
export function normaliseWorkerUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  const parsed = new URL(trimmed);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('the worker URL must start with http:// or https://');
  return trimmed;
}

/** Follows the public part of the configuration (the token is '' in what the listener gets). */
export function watchConfig(listener: (config: SyncConfig) => void, area: KeyValueArea = getArea()): () => void {
  return area.watch(CONFIG_KEY, (value) => {
    const parsed = SyncConfig.safeParse(value ?? {});
    listener(parsed.success ? parsed.data : defaultConfig());
  });
}
