import { z } from 'zod';
import { getDb, type CalicoDb } from '@/db/database';

/**
 * The user's own OpenAI-compatible endpoint (Ollama, LM Studio, llama.cpp server, OpenAI …): base URL,
 * model and API key. Kept in the `state` table, not in `settings` or chrome.storage: state rows are
 * neither synced nor exported, and IndexedDB of the extension origin is out of reach of content
 * scripts (they run in the page's origin and only message the background), so the key stays on this
 * device, readable only by the extension's own pages.
 */

export const DIRECT_ENDPOINT_STATE = 'ai.direct-endpoint';

export const DirectEndpointConfig = z.object({
  /** Up to and including /v1, e.g. http://localhost:11434/v1. */
  baseUrl: z
    .string()
    .trim()
    .max(2048)
    .refine((u) => {
      try {
        const p = new URL(u).protocol;
        return p === 'http:' || p === 'https:';
      } catch {
        return false;
      }
    }, 'Give an http:// or https:// address, e.g. http://localhost:11434/v1'),
  model: z.string().trim().min(1, 'Name the model, e.g. llama3.2').max(256),
  apiKey: z.string().trim().max(4096).default(''),
});
export type DirectEndpointConfig = z.infer<typeof DirectEndpointConfig>;

export async function readDirectEndpoint(db: CalicoDb = getDb()): Promise<DirectEndpointConfig | null> {
  const row = await db.state.get(DIRECT_ENDPOINT_STATE);
  const parsed = DirectEndpointConfig.safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}

export async function writeDirectEndpoint(config: DirectEndpointConfig | null, db: CalicoDb = getDb()): Promise<void> {
  if (!config) {
    await db.state.delete(DIRECT_ENDPOINT_STATE);
    return;
  }
  await db.state.put({ key: DIRECT_ENDPOINT_STATE, value: DirectEndpointConfig.parse(config) });
}

/** True when the address is this machine: then "local only" allows it, since nothing leaves the device. */
export function isLoopback(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The match pattern chrome.permissions needs for the endpoint's origin. */
export function originPattern(baseUrl: string): string {
  const u = new URL(baseUrl);
  return `${u.protocol}//${u.hostname}/*`;
}

/** Asks for the endpoint's host at run time (from a click: Chrome needs a user gesture to prompt). */
export async function requestEndpointPermission(baseUrl: string): Promise<boolean> {
  const origins = [originPattern(baseUrl)];
  if (typeof chrome === 'undefined' || !chrome.permissions) return true;
  if (await chrome.permissions.contains({ origins })) return true;
  return chrome.permissions.request({ origins });
}

export async function hasEndpointPermission(baseUrl: string): Promise<boolean> {
  if (typeof chrome === 'undefined' || !chrome.permissions) return true;
  return chrome.permissions.contains({ origins: [originPattern(baseUrl)] });
}
