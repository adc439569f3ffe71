import { UsageResponse } from '@shared/schemas/monitoring';
import { readConfig } from '@/sync/sync-config';

/** The signed-in user's own usage from the worker (GET /v1/usage/activity); null when not signed in. */
export async function fetchUsage(fetcher: typeof fetch = fetch, config = readConfig()): Promise<UsageResponse | null> {
  const { workerUrl, account } = await config;
  if (!account) return null;
  const res = await fetcher(`${workerUrl}/v1/usage/activity`, { headers: { authorization: `Bearer ${account.token}` } });
  if (!res.ok) throw new Error(`the worker answered HTTP ${res.status}`);
  return UsageResponse.parse(await res.json());
}
