import Stripe from 'stripe';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { PlansResponse, UsageResponse } from '../../../shared/schemas/billing';
import { call, env, highlightData, hlcAt, json, newAccount, newId, plansWithFreeLimit, push, resetDb, type Account } from '../../test/helpers';
import type { StripeLogEntry } from '../../test/stripe-test-double';
import { DEFAULT_PLANS } from '../billing/plans';
import { spend } from '../billing/entitlements';
import { flushMeterEvents } from '../billing/meter-events';
import { userStore } from '../store/stub';
import type { Env } from '../env';

// Stripe's API side is the loopback Stripe TEST DOUBLE (test/stripe-test-double.ts); webhooks are signed
// with the stripe library's own test-header helper, exactly as Stripe signs them.
const stripeBaseUrl = inject('stripeBaseUrl');
const llmBaseUrl = inject('llmBaseUrl');
const WEBHOOK_SECRET = 'whsec_test_double_secret';
const billing: Partial<Env> = {
  STRIPE_SECRET_KEY: 'sk_test_double',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_BASE: stripeBaseUrl,
  STRIPE_PRICE_IDS: 'plus=price_plus,pro=price_pro,store=price_store',
};
const withModel: Partial<Env> = { OPENAI_BASE_URL: llmBaseUrl, OPENAI_API_KEY: 'sk-test-double', OPENAI_MODEL: 'double-1', AI_PROVIDER: '' };

const signer = new Stripe('sk_test_signer', { httpClient: Stripe.createFetchHttpClient() });
const crypto = Stripe.createSubtleCryptoProvider();
const SECOND = 1000;
const DAY = 86_400_000;
let eventCounter = 0;

beforeEach(async () => {
  await resetDb();
  await fetch(`${stripeBaseUrl}/__down?on=0`, { method: 'POST' });
});

async function stripeLog(): Promise<StripeLogEntry[]> {
  return (await fetch(`${stripeBaseUrl}/__log`)).json();
}

function event(type: string, object: Record<string, unknown>, createdMs = Date.now()) {
  eventCounter += 1;
  return { id: `evt_test_${eventCounter}_${Date.now()}`, object: 'event', api_version: '2026-11-18.endive', created: Math.floor(createdMs / 1000), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
}

async function deliver(evt: unknown, options: { secret?: string; timestamp?: number; signature?: string } = {}): Promise<Response> {
  const payload = JSON.stringify(evt);
  const header =
    options.signature ??
    (await signer.webhooks.generateTestHeaderStringAsync({ payload, secret: options.secret ?? WEBHOOK_SECRET, cryptoProvider: crypto, ...(options.timestamp ? { timestamp: options.timestamp } : {}) }));
  return call('/v1/billing/webhook', { method: 'POST', body: payload, headers: { 'stripe-signature': header, 'content-type': 'application/json' }, envOverrides: billing });
}

function subscription(a: Account, plan: string, status: string, periodStartMs: number, periodEndMs: number, id = 'sub_test_1') {
  return {
    id,
    object: 'subscription',
    customer: 'cus_test_1',
    status,
    cancel_at_period_end: false,
    metadata: { userId: a.userId, plan },
    items: { object: 'list', data: [{ id: 'si_1', price: { id: `price_${plan}` }, current_period_start: Math.floor(periodStartMs / 1000), current_period_end: Math.floor(periodEndMs / 1000) }] },
  };
}

const checkoutCompleted = (a: Account, plan: string) => ({
  id: 'cs_test_done',
  object: 'checkout.session',
  mode: 'subscription',
  client_reference_id: a.userId,
  customer: 'cus_test_1',
  subscription: 'sub_test_1',
  metadata: { userId: a.userId, plan },
});

async function usage(a: Account, overrides: Partial<Env> = billing): Promise<UsageResponse> {
  const res = await call('/v1/usage', { token: a.token, envOverrides: overrides });
  expect(res.status).toBe(200);
  return UsageResponse.parse(await json(res));
}

const line = (u: UsageResponse, key: string) => u.usage.find((l) => l.key === key)!;

describe('plans and usage', () => {
  it('lists the plans as data, free included, without a token', async () => {
    const body = PlansResponse.parse(await json(await call('/v1/billing/plans')));
    expect(body.plans.map((p) => p.id)).toEqual(['free', 'plus', 'pro', 'store']);
    expect(body.plans[0]!.monthlyPrice).toBe(0);
  });

  it("shows a new account on Free with every entitlement and what is used of it", async () => {
    const a = await newAccount();
    const u = await usage(a);
    expect(u).toMatchObject({ plan: 'free', subscribedPlan: 'free', status: 'none', billingEnabled: true });
    expect(line(u, 'devices')).toMatchObject({ used: 1, limit: DEFAULT_PLANS[0]!.limits.devices, kind: 'gauge' });
    expect(line(u, 'chatRequests')).toMatchObject({ used: 0, kind: 'metered', warn: false, blocked: false });
    expect(u.periodEnd).toBeGreaterThan(u.periodStart);
  });

  it('lets exactly 10 of 50 concurrent requests through a quota of 10', async () => {
    const a = await newAccount();
    const overrides = { ...withModel, PLANS: JSON.stringify(plansWithFreeLimit('chatRequests', 10)) };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => call('/v1/write', { method: 'POST', token: a.token, json: { action: 'improve', text: 'teh cat' }, envOverrides: overrides })),
    );
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.headers.get('x-upgrade')).toBe('options#account');
    expect(line(await usage(a, overrides), 'chatRequests')).toMatchObject({ used: 10, limit: 10, blocked: true });
  });

  it('warns from 80 % on, and a refusal says to upgrade before any stream starts', async () => {
    const a = await newAccount();
    const overrides = { ...withModel, PLANS: JSON.stringify(plansWithFreeLimit('chatRequests', 5)) };
    const warnings: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call('/v1/write', { method: 'POST', token: a.token, json: { action: 'improve', text: 'teh cat' }, envOverrides: overrides });
      warnings.push(res.headers.get('x-usage-warning'));
      await res.text();
    }
    expect(warnings.map(Boolean)).toEqual([false, false, false, true, true]);
    const refused = await call('/v1/write', { method: 'POST', token: a.token, json: { action: 'improve', text: 'teh cat' }, envOverrides: overrides });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/json/);
    expect((await json(refused)).error).toMatchObject({ code: 'quota_exceeded', message: expect.stringMatching(/Upgrade in Options → Account/) });
  });

  it('gives a request back when the model could not be reached', async () => {
    const a = await newAccount();
    const res = await call('/v1/write', { method: 'POST', token: a.token, json: { action: 'improve', text: 'fail' }, envOverrides: { ...withModel, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(line(await usage(a), 'chatRequests').used).toBe(0);
  });

  it('refuses a device past the plan (gauge) when it tries to join', async () => {
    const a = await newAccount();
    const overrides = { PLANS: JSON.stringify(plansWithFreeLimit('devices', 1)) };
    const { code } = await json<{ code: string }>(await call('/v1/pairing', { method: 'POST', token: a.token }));
    const res = await call('/v1/pairing/join', { method: 'POST', json: { code, deviceName: 'Phone' }, envOverrides: overrides });
    expect(res.status).toBe(429);
    expect((await json(res)).error.code).toBe('quota_exceeded');
  });

  it('stops puts, not deletes, once synced storage is full', async () => {
    const a = await newAccount();
    const id = newId('hl');
    expect((await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(Date.now(), 'dev1'), data: highlightData(id) }])).status).toBe(200);
    const overrides = { PLANS: JSON.stringify(plansWithFreeLimit('storageBytes', 10)) };
    const second = newId('hl');
    const put = await call('/v1/sync/push', { method: 'POST', token: a.token, envOverrides: overrides, json: { pushId: newId('push'), changes: [{ op: 'put', kind: 'highlight', key: second, hlc: hlcAt(Date.now(), 'dev1'), data: highlightData(second) }] } });
    expect(put.status).toBe(429);
    const del = await call('/v1/sync/push', { method: 'POST', token: a.token, envOverrides: overrides, json: { pushId: newId('push'), changes: [{ op: 'delete', kind: 'highlight', key: id, hlc: hlcAt(Date.now() + 1, 'dev1') }] } });
    expect(del.status).toBe(200);
  });
});

describe('Stripe checkout, portal and webhooks', () => {
  it('goes from Free to Plus and back through Checkout and signed webhooks', async () => {
    const a = await newAccount();
    const checkout = await call('/v1/billing/checkout', { method: 'POST', token: a.token, json: { plan: 'plus' }, envOverrides: billing });
    expect(checkout.status).toBe(200);
    expect((await json(checkout)).url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const asked = (await stripeLog()).filter((e) => e.path === '/v1/checkout/sessions').at(-1)!;
    expect(asked.form).toMatchObject({
      mode: 'subscription',
      'line_items[0][price]': 'price_plus',
      client_reference_id: a.userId,
      'subscription_data[metadata][userId]': a.userId,
      'subscription_data[metadata][plan]': 'plus',
    });

    const now = Date.now();
    expect((await deliver(event('checkout.session.completed', checkoutCompleted(a, 'plus'), now - 2 * SECOND))).status).toBe(200);
    expect((await deliver(event('customer.subscription.created', subscription(a, 'plus', 'active', now - DAY, now + 29 * DAY), now - SECOND))).status).toBe(200);
    const paid = await usage(a);
    expect(paid).toMatchObject({ plan: 'plus', status: 'active', note: null });
    expect(line(paid, 'chatRequests').limit).toBe(DEFAULT_PLANS.find((p) => p.id === 'plus')!.limits.chatRequests);

    const portal = await call('/v1/billing/portal', { method: 'POST', token: a.token, envOverrides: billing });
    expect((await json(portal)).url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect((await stripeLog()).at(-1)!.form).toMatchObject({ customer: 'cus_test_1' });

    expect((await deliver(event('customer.subscription.deleted', subscription(a, 'plus', 'canceled', now - DAY, now + 29 * DAY), now))).status).toBe(200);
    expect(await usage(a)).toMatchObject({ plan: 'free', status: 'canceled' });
  });

  it('lands the same state whatever the order, and a redelivered event changes nothing', async () => {
    const t = Date.now() - 60 * SECOND;
    const a = await newAccount();
    const created = event('customer.subscription.created', subscription(a, 'plus', 'active', t, t + 30 * DAY), t);
    const completed = event('checkout.session.completed', checkoutCompleted(a, 'plus'), t + SECOND);
    const upgraded = event('customer.subscription.updated', subscription(a, 'pro', 'active', t, t + 30 * DAY), t + 2 * SECOND);
    for (const evt of [upgraded, created, completed, upgraded, created]) expect((await deliver(evt)).status).toBe(200);
    expect(await usage(a)).toMatchObject({ plan: 'pro', subscribedPlan: 'pro' });
    const outcomes = (await env.DB.prepare('SELECT outcome FROM stripe_events ORDER BY created').all<{ outcome: string }>()).results.map((r) => r.outcome);
    expect(outcomes.sort()).toEqual(['applied', 'stale', 'stale']);

    // A cancellation delivered before a late update stays cancelled.
    const deleted = event('customer.subscription.deleted', subscription(a, 'pro', 'canceled', t, t + 30 * DAY), t + 4 * SECOND);
    const late = event('customer.subscription.updated', subscription(a, 'pro', 'active', t, t + 30 * DAY), t + 3 * SECOND);
    for (const evt of [deleted, late, deleted]) expect((await deliver(evt)).status).toBe(200);
    expect(await usage(a)).toMatchObject({ plan: 'free', status: 'canceled' });
  });

  it('refuses and logs a bad signature, an old timestamp and an unknown event type', async () => {
    const a = await newAccount();
    const evt = event('customer.subscription.created', subscription(a, 'plus', 'active', Date.now(), Date.now() + 30 * DAY));
    expect((await deliver(evt, { secret: 'whsec_wrong' })).status).toBe(400);
    expect((await deliver(evt, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(400);
    expect((await deliver(evt, { signature: 'garbage' })).status).toBe(400);
    const unknown = await deliver(event('customer.tax_id.created', { id: 'txi_1', object: 'tax_id' }));
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error.message).toMatch(/unhandled event type/);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM stripe_events').first<{ n: number }>())!.n).toBe(0);
    expect(await usage(a)).toMatchObject({ plan: 'free' });
  });

  it('keeps the plan through a failed payment until its grace ends, then downgrades', async () => {
    const now = Date.now();
    const a = await newAccount();
    await deliver(event('customer.subscription.created', subscription(a, 'plus', 'active', now - 10 * DAY, now + 20 * DAY), now - 10 * DAY));
    await deliver(event('invoice.payment_failed', { id: 'in_1', object: 'invoice', customer: 'cus_test_1', parent: { subscription_details: { subscription: 'sub_test_1', metadata: { userId: a.userId } } } }, now - 2 * DAY));
    expect(await usage(a)).toMatchObject({ plan: 'plus', status: 'past_due', note: expect.stringMatching(/payment failed/) });
    // The same failure eight days ago: the default 7-day grace is over.
    const b = await newAccount();
    await deliver(event('customer.subscription.created', { ...subscription(b, 'plus', 'active', now - 10 * DAY, now + 20 * DAY), customer: 'cus_test_2', id: 'sub_test_2' }, now - 10 * DAY));
    await deliver(event('invoice.payment_failed', { id: 'in_2', object: 'invoice', customer: 'cus_test_2', parent: { subscription_details: { subscription: 'sub_test_2', metadata: { userId: b.userId } } } }, now - 8 * DAY));
    expect(await usage(b)).toMatchObject({ plan: 'free', status: 'past_due' });
    // Paying restores it.
    await deliver(event('invoice.paid', { id: 'in_3', object: 'invoice', customer: 'cus_test_2', parent: { subscription_details: { subscription: 'sub_test_2', metadata: { userId: b.userId } } }, lines: { data: [{ period: { start: Math.floor((now - DAY) / 1000), end: Math.floor((now + 29 * DAY) / 1000) } }] } }, now - DAY));
    expect(await usage(b)).toMatchObject({ plan: 'plus', status: 'active' });
  });

  it('fails open for a bounded time when the renewal is never confirmed, closed after', async () => {
    const now = Date.now();
    const a = await newAccount();
    await deliver(event('customer.subscription.created', subscription(a, 'plus', 'active', now - 31 * DAY, now - DAY), now - 31 * DAY));
    expect(await usage(a)).toMatchObject({ plan: 'plus', note: expect.stringMatching(/waiting for the billing service/) });
    const b = await newAccount();
    await deliver(event('customer.subscription.created', { ...subscription(b, 'plus', 'active', now - 34 * DAY, now - 4 * DAY), customer: 'cus_test_2', id: 'sub_test_2' }, now - 34 * DAY));
    expect(await usage(b)).toMatchObject({ plan: 'free', note: expect.stringMatching(/never confirmed/) });
  });

  it('answers 503 and changes nothing while Stripe is unreachable', async () => {
    const a = await newAccount();
    await fetch(`${stripeBaseUrl}/__down?on=1`, { method: 'POST' });
    const res = await call('/v1/billing/checkout', { method: 'POST', token: a.token, json: { plan: 'pro' }, envOverrides: billing });
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('provider_unavailable');
    expect(await usage(a)).toMatchObject({ plan: 'free', status: 'none' });
  });

  it('reports metered extras past the included amount to the Stripe meter, once each', async () => {
    const now = Date.now();
    const a = await newAccount();
    const plans = DEFAULT_PLANS.map((p) => (p.id === 'pro' ? { ...p, limits: { ...p.limits, images: 2 } } : p));
    const overrides = { ...billing, PLANS: JSON.stringify(plans) } as Env;
    await deliver(event('customer.subscription.created', subscription(a, 'pro', 'active', now - DAY, now + 29 * DAY), now - DAY));
    const e = { ...env, ...overrides } as Env;
    for (let i = 0; i < 3; i++) await spend(e, a.userId, 'images');
    await fetch(`${stripeBaseUrl}/__down?on=1`, { method: 'POST' });
    expect(await flushMeterEvents(e)).toMatchObject({ sent: 0, failed: 1 });
    await fetch(`${stripeBaseUrl}/__down?on=0`, { method: 'POST' });
    expect(await flushMeterEvents(e)).toMatchObject({ sent: 1, failed: 0 });
    expect(await flushMeterEvents(e)).toMatchObject({ sent: 0, failed: 0 });
    const meter = (await stripeLog()).filter((r) => r.path === '/v1/billing/meter_events');
    expect(meter.at(-1)!.form).toMatchObject({ event_name: 'calicolobster_images', 'payload[stripe_customer_id]': 'cus_test_1', 'payload[value]': '1' });
  });
});

describe('deleting the account', () => {
  it('cancels the subscription and deletes records, vectors, usage and devices', async () => {
    const now = Date.now();
    const a = await newAccount();
    const id = newId('hl');
    await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(now, 'dev1'), data: highlightData(id) }]);
    await deliver(event('customer.subscription.created', subscription(a, 'plus', 'active', now - DAY, now + 29 * DAY), now - DAY));
    await spend({ ...env, ...billing } as Env, a.userId, 'chatRequests');
    expect(await userStore(env, a.userId).storageBytes()).toBeGreaterThan(0);

    const res = await call('/v1/account', { method: 'DELETE', token: a.token, envOverrides: billing });
    expect(res.status).toBe(200);
    expect((await stripeLog()).at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/subscriptions/sub_test_1' });
    expect((await call('/v1/me', { token: a.token })).status).toBe(401);
    expect(await userStore(env, a.userId).stats()).toMatchObject({ records: 0, vectors: 0 });
    for (const table of ['usage', 'subscriptions', 'devices']) {
      expect((await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`).bind(a.userId).first<{ n: number }>())!.n).toBe(0);
    }
  });

  it('deletes nothing when the subscription cannot be cancelled', async () => {
    const now = Date.now();
    const a = await newAccount();
    await deliver(event('customer.subscription.created', subscription(a, 'plus', 'active', now - DAY, now + 29 * DAY), now - DAY));
    await fetch(`${stripeBaseUrl}/__down?on=1`, { method: 'POST' });
    const res = await call('/v1/account', { method: 'DELETE', token: a.token, envOverrides: billing });
    expect(res.status).toBe(503);
    expect((await call('/v1/me', { token: a.token })).status).toBe(200);
  });
});
