import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env as workerEnv } from 'cloudflare:workers';
import worker from '../src/index';
import type { Env } from '../src/env';
import { formatHlc } from '../../shared/sync/hlc';
import type { EntitlementKey } from '../../shared/schemas/billing';
import { DEFAULT_PLANS } from '../src/billing/plans';

export const env = workerEnv as unknown as Env;

/** Calls the worker's fetch handler directly with (optionally) overridden vars — a fresh env per call,
 * so a test can lower a limit without affecting the others. */
export async function call(
  path: string,
  init: RequestInit & { token?: string; json?: unknown; envOverrides?: Partial<Env>; ip?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.ip) headers.set('cf-connecting-ip', init.ip);
  const request = new Request(`http://worker.test${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...init.envOverrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Empties every D1 table (per-test storage isolation is off in pool-workers 0.15). */
export async function resetDb(): Promise<void> {
  await env.DB.batch(['subscriptions', 'usage', 'stripe_events', 'meter_events', 'pairing_codes', 'devices', 'users', 'counters', 'web_search_cache'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
}

export interface Account {
  userId: string;
  deviceId: string;
  token: string;
}

export async function newAccount(deviceName = 'Laptop'): Promise<Account> {
  const res = await call('/v1/accounts', { method: 'POST', json: { deviceName } });
  if (res.status !== 201) throw new Error(`account creation failed: ${res.status} ${await res.text()}`);
  return json<Account>(res);
}

export async function pairSecondDevice(first: Account, deviceName = 'Desktop'): Promise<Account> {
  const { code } = await json<{ code: string }>(await call('/v1/pairing', { method: 'POST', token: first.token }));
  const res = await call('/v1/pairing/join', { method: 'POST', json: { code, deviceName } });
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${await res.text()}`);
  return json<Account>(res);
}

let uniq = 0;
/** A record id unique within the test run (ids are client-generated in the protocol). */
export const newId = (prefix = 'rec') => `${prefix}_${Date.now().toString(36)}_${(uniq++).toString(36).padStart(4, '0')}`;
export const newPushId = () => newId('push');

export const hlcAt = (ms: number, node: string, counter = 0) => formatHlc({ ms, counter, node });

export function highlightData(id: string, patch: Record<string, unknown> = {}) {
  return {
    id,
    url: 'https://example.com/article',
    site: 'example.com',
    pageTitle: 'An article about octopus cognition',
    text: 'Octopuses can solve puzzles and open jars.',
    color: 'yellow',
    note: '',
    selectors: [{ type: 'TextQuoteSelector', exact: 'Octopuses can solve puzzles and open jars.' }],
    createdAt: 1_764_000_000_000,
    updatedAt: 1_764_000_000_000,
    ...patch,
  };
}

export function visitData(id: string, patch: Record<string, unknown> = {}) {
  return {
    id,
    url: `https://example.com/visit/${id}`,
    site: 'example.com',
    title: `Visit ${id}`,
    referrer: null,
    searchId: null,
    transition: 'load',
    startedAt: 1_764_000_000_000,
    endedAt: 1_764_000_060_000,
    activeMs: 1000,
    updatedAt: 1_764_000_060_000,
    ...patch,
  };
}

export async function push(token: string, changes: unknown[], pushId = newPushId()): Promise<Response> {
  return call('/v1/sync/push', { method: 'POST', token, json: { pushId, changes } });
}

export async function pullAll(token: string, limit = 1000, vectors = false): Promise<{ records: any[]; pages: number; cursor: string }> {
  const records: any[] = [];
  let cursor = '';
  let pages = 0;
  for (;;) {
    const res = await call(`/v1/sync/pull?cursor=${cursor}&limit=${limit}${vectors ? '&vectors=1' : ''}`, { token });
    if (res.status !== 200) throw new Error(`pull failed: ${res.status} ${await res.text()}`);
    const page = await json(res);
    pages += 1;
    records.push(...page.records);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { records, pages, cursor };
}

/** The default plans with one of Free's limits changed: tests set limits through the plans (the `PLANS`
 * variable), the only place limits live. */
export function plansWithFreeLimit(key: EntitlementKey, limit: number | null) {
  return DEFAULT_PLANS.map((p) => (p.id === 'free' ? { ...p, limits: { ...p.limits, [key]: limit } } : p));
}
