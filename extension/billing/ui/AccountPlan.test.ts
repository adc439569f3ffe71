// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createApp, type App } from 'vue';
import type { Plan, UsageResponse } from '@shared/schemas/billing';
import { memoryArea, setAreaForTesting } from '@/sync/key-value-area';
import { updateConfig } from '@/sync/sync-config';
import { waitForPlanChange } from '../account-billing';
import AccountPlan from './AccountPlan.vue';

/**
 * A TEST DOUBLE of the worker's billing routes as a fetch function: it answers plans and usage from the
 * state below and records what it was asked. The worker's own routes are tested in workerd
 * (worker/src/routes/billing.test.ts); this checks what the account page does with their answers.
 */
const plans: Plan[] = [
  { id: 'free', name: 'Free', audience: 'person', monthlyPrice: 0, currency: 'eur', limits: { devices: 2, storageBytes: 1000, chatRequests: 100, webSearches: 20, images: 0, stores: 0, widgetConversations: 0 }, overage: [] },
  { id: 'plus', name: 'Plus', audience: 'person', monthlyPrice: 500, currency: 'eur', limits: { devices: 5, storageBytes: 5000, chatRequests: 2000, webSearches: 500, images: 50, stores: 0, widgetConversations: 0 }, overage: [] },
];
const line = (key: UsageResponse['usage'][number]['key'], used: number, limit: number | null): UsageResponse['usage'][number] => ({
  key,
  label: key,
  kind: 'metered',
  unit: 'requests',
  used,
  limit,
  fraction: limit ? used / limit : 0,
  warn: limit !== null && used / limit >= 0.8,
  blocked: limit !== null && used >= limit,
});
let usage: UsageResponse;
let asked: string[];

function workerDouble(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input));
  asked.push(`${init?.method ?? 'GET'} ${url.pathname}`);
  const json = (body: unknown, status = 200) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  if (url.pathname === '/v1/billing/plans') return json({ plans });
  if (url.pathname === '/v1/usage') return json(usage);
  if (url.pathname === '/v1/billing/checkout') return json({ url: 'https://checkout.stripe.test/c/pay/cs_1' });
  if (url.pathname === '/v1/account') return json({ deleted: true });
  return json({ error: { code: 'not_found', message: 'no route', requestId: 'r' } }, 404);
}

let app: App | undefined;
let host: HTMLElement;
const $ = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
async function until<T>(probe: () => T, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(async () => {
  asked = [];
  usage = {
    plan: 'free',
    subscribedPlan: 'free',
    status: 'none',
    note: null,
    periodStart: Date.UTC(2026, 11, 1),
    periodEnd: Date.UTC(2027, 0, 1),
    graceUntil: null,
    cancelAtPeriodEnd: false,
    billingEnabled: true,
    usage: [line('chatRequests', 85, 100), line('webSearches', 3, 20), line('images', 0, 0)],
  };
  vi.stubGlobal('fetch', workerDouble);
  setAreaForTesting(memoryArea());
  await updateConfig((c) => ({ ...c, workerUrl: 'http://worker.test', account: { userId: 'usr_1', deviceId: 'dev_1', token: 'clt_x', expiresAt: Date.now() + 1e9, deviceName: 'Laptop' } }));
  host = document.createElement('div');
  document.body.append(host);
});

afterEach(() => {
  app?.unmount();
  host.remove();
  vi.unstubAllGlobals();
  setAreaForTesting(undefined);
});

describe('AccountPlan', () => {
  test('shows the plan, a bar per entitlement it grants, and warns at 80 %', async () => {
    app = createApp(AccountPlan);
    app.mount(host);
    expect((await until(() => $('account-plan-name'), 'plan name')).textContent).toBe('Free');
    const bars = [...host.querySelectorAll<HTMLElement>('[data-testid="usage-bar"]')];
    // Images are not part of Free (limit 0, none used): no bar for them.
    expect(bars.map((b) => [b.dataset.key, b.dataset.state])).toEqual([
      ['chatRequests', 'warn'],
      ['webSearches', 'ok'],
    ]);
    expect($('plan-upgrade-plus')!.textContent).toMatch(/Upgrade to Plus · €5\.00\/month/);
  });

  test('Upgrade opens Checkout in a tab; deleting the account asks first, then signs this device out', async () => {
    const opened: string[] = [];
    vi.stubGlobal('open', (url: string) => opened.push(url));
    app = createApp(AccountPlan);
    app.mount(host);
    (await until(() => $('plan-upgrade-plus'), 'upgrade button')).click();
    await until(() => opened.length, 'checkout tab');
    expect(opened).toEqual(['https://checkout.stripe.test/c/pay/cs_1']);
    expect(asked).toContain('POST /v1/billing/checkout');
    expect($('account-message')!.textContent).toMatch(/Checkout opened/);

    $('account-delete')!.click();
    await until(() => $('account-delete-confirm'), 'confirmation');
    expect(asked).not.toContain('DELETE /v1/account');
    $('account-delete-confirm')!.click();
    await until(() => $('account-message')?.textContent?.includes('deleted'), 'deleted message');
    expect(asked).toContain('DELETE /v1/account');
    expect($('account-plan-name')).toBeNull();
  });
});

describe('waitForPlanChange', () => {
  test('resolves with the new plan once the webhook has landed, or null when the bound runs out', async () => {
    let polls = 0;
    const sleep = async () => {
      polls += 1;
      if (polls === 3) usage = { ...usage, plan: 'plus', subscribedPlan: 'plus', status: 'active' };
    };
    expect((await waitForPlanChange('free', { sleep, timeoutMs: 60_000 }))?.plan).toBe('plus');
    expect(polls).toBe(3);
    expect(await waitForPlanChange('plus', { sleep: async () => new Promise((r) => setTimeout(r, 5)), timeoutMs: 30 })).toBeNull();
  });
});
