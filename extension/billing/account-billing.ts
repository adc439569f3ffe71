import type { CheckoutRequest, PlansResponse, UsageResponse } from '@shared/schemas/billing';
import { createApiClient } from '@/sync/api-client';
import { signOut, type AccountDeps } from '@/sync/accounts';
import { getArea } from '@/sync/key-value-area';
import { readConfig } from '@/sync/sync-config';

/**
 * The account page's calls to the worker: plans, usage, Checkout, the billing portal and deleting the
 * account. Payment pages are Stripe's, opened in a tab; the plan changes here only once Stripe's
 * webhook has reached the worker, which `waitForPlanChange` polls for, with a bound.
 */

async function api(d: AccountDeps) {
  const config = await readConfig(d.area ?? getArea());
  if (!config.account) throw new Error('Sign in to sync first: plans belong to a sync account.');
  return createApiClient({ baseUrl: config.workerUrl, token: config.account.token, fetch: d.fetch });
}

export async function fetchPlans(d: AccountDeps = {}): Promise<PlansResponse['plans']> {
  return (await (await api(d)).plans()).plans;
}

export async function fetchUsage(d: AccountDeps = {}): Promise<UsageResponse> {
  return (await api(d)).usage();
}

export async function checkoutUrl(plan: CheckoutRequest['plan'], d: AccountDeps = {}): Promise<string> {
  return (await (await api(d)).checkout(plan)).url;
}

export async function portalUrl(d: AccountDeps = {}): Promise<string> {
  return (await (await api(d)).billingPortal()).url;
}

/** Deletes the account in the worker (records, vectors, usage; the subscription is cancelled first),
 * then signs this device out. Local records stay: they were never the worker's. */
export async function deleteAccount(d: AccountDeps = {}): Promise<void> {
  await (await api(d)).deleteAccount();
  await signOut(d);
}

export interface WaitOptions {
  /** @default 2000 */
  intervalMs?: number;
  /** @default 120000 — Stripe delivers webhooks within seconds; past two minutes we say so and stop. */
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

/** Polls usage until the plan in force differs from `from`; resolves with the new usage, or null when the
 * bound ran out (the caller explains that the payment is still being confirmed). */
export async function waitForPlanChange(from: UsageResponse['plan'], options: WaitOptions & AccountDeps = {}): Promise<UsageResponse | null> {
  const { intervalMs = 2000, timeoutMs = 120_000, signal, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal?.aborted) {
    await sleep(intervalMs);
    const usage = await fetchUsage(options).catch(() => null);
    if (usage && usage.plan !== from) return usage;
  }
  return null;
}
