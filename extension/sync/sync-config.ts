import { z } from 'zod';
import { getArea, type KeyValueArea } from './key-value-area';

/**
 * This device's sync configuration, in chrome.storage.local (never chrome.storage.sync: the token is a
 * credential of this device alone). The token is shown to no one and leaves the device only in the
 * Authorization header of requests to the configured worker.
 */

export const CONFIG_KEY = 'sync.config';
export const DEFAULT_WORKER_URL = 'http://127.0.0.1:8787';

export const SyncAccount = z.object({
  userId: z.string().min(1),
  deviceId: z.string().min(1),
  token: z.string().min(1),
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

export async function readConfig(area: KeyValueArea = getArea()): Promise<SyncConfig> {
  const parsed = SyncConfig.safeParse((await area.get(CONFIG_KEY)) ?? {});
  return parsed.success ? parsed.data : defaultConfig();
}

export async function updateConfig(change: (current: SyncConfig) => SyncConfig, area: KeyValueArea = getArea()): Promise<SyncConfig> {
  const next = SyncConfig.parse(change(await readConfig(area)));
  await area.set(CONFIG_KEY, next);
  return next;
}

/** Worker URLs are stored without a trailing slash so paths join cleanly. */
export function normaliseWorkerUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  const parsed = new URL(trimmed);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('the worker URL must start with http:// or https://');
  return trimmed;
}

export function watchConfig(listener: (config: SyncConfig) => void, area: KeyValueArea = getArea()): () => void {
  return area.watch(CONFIG_KEY, (value) => {
    const parsed = SyncConfig.safeParse(value ?? {});
    listener(parsed.success ? parsed.data : defaultConfig());
  });
}
