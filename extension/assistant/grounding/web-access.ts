import { readAiSettings } from '@/ai/engines/settings';
import { createApiClient } from '@/sync/api-client';
import { readConfig } from '@/sync/sync-config';
import type { WebSearch } from './web-retriever';

/**
 * Whether an answer may search the web: only through the user's own paired worker, and only when the
 * privacy setting lets questions leave the device. Otherwise the reason, in words, for the trace and
 * under the scope.
 */

export type WebAccess = { search: WebSearch; reason?: undefined } | { search: null; reason: string };

export async function webAccess(): Promise<WebAccess> {
  const [ai, sync] = await Promise.all([readAiSettings(), readConfig()]);
  if (ai.privacy !== 'allow-worker') return { search: null, reason: 'the privacy setting is “local only”, so the question never leaves this device' };
  if (!sync.account?.token) return { search: null, reason: 'no worker is paired (set one up under Sync in the options)' };
  const client = createApiClient({ baseUrl: sync.workerUrl, token: sync.account.token, timeoutMs: 20_000 });
  return { search: (request, signal) => client.webSearch(request, signal) };
}
