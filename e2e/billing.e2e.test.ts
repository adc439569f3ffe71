import type { Page } from 'puppeteer-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStripeTestDouble, type StripeLogEntry } from '../worker/test/stripe-test-double';
import { launchBrowser, type ExtensionBrowser } from './support/browser';
import { startLocalWorker, type LocalWorker } from './support/local-worker';
import { click, tid, typeInto } from './support/surfaces';
import { waitFor } from './support/wait';

// Issue 13: an account goes from Free to Plus and back through the local worker (`wrangler dev --local`),
// with the options page driven like a person and Stripe's side played by the loopback Stripe API TEST
// DOUBLE plus webhooks signed here with the stripe library's own test-header helper, as Stripe signs them.
const WEBHOOK_SECRET = 'whsec_e2e_test_double';
const DAY = 86_400_000;

describe('plans and billing through the local worker', () => {
  let stripeDouble: { url: string; close: () => Promise<void> };
  let worker: LocalWorker;
  let eb: ExtensionBrowser;
  let options: Page;
  const signer = new Stripe('sk_test_signer');
  let n = 0;

  beforeAll(async () => {
    stripeDouble = await startStripeTestDouble();
    [worker, eb] = await Promise.all([
      startLocalWorker({
        vars: {
          STRIPE_SECRET_KEY: 'sk_test_double',
          STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
          STRIPE_API_BASE: stripeDouble.url,
          STRIPE_PRICE_IDS: 'plus=price_plus,pro=price_pro,store=price_store',
        },
      }),
      launchBrowser(),
    ]);
  }, 240_000);

  afterAll(async () => {
    await eb?.close();
    await worker?.stop();
    await stripeDouble?.close();
  });

  async function deliver(type: string, object: Record<string, unknown>): Promise<number> {
    n += 1;
    const payload = JSON.stringify({ id: `evt_e2e_${n}_${Date.now()}`, object: 'event', created: Math.floor(Date.now() / 1000) + n, type, data: { object }, livemode: false });
    const res = await fetch(`${worker.url}/v1/billing/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
      body: payload,
    });
    return res.status;
  }

  const subscription = (userId: string, status: string) => ({
    id: 'sub_e2e',
    object: 'subscription',
    customer: 'cus_e2e',
    status,
    cancel_at_period_end: false,
    metadata: { userId, plan: 'plus' },
    items: { data: [{ price: { id: 'price_plus' }, current_period_start: Math.floor((Date.now() - DAY) / 1000), current_period_end: Math.floor((Date.now() + 29 * DAY) / 1000) }] },
  });

  const planName = () => options.$eval(tid('account-plan-name'), (el) => el.textContent?.trim() ?? '');

  test('a new account is on Free; Upgrade opens Checkout; the signed webhook makes it Plus on the page', async () => {
    options = await eb.browser.newPage();
    await options.goto(eb.extensionUrl('options.html'), { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await typeInto(options, 'sync-worker-url', worker.url);
    await typeInto(options, 'sync-device-name', 'Billing browser');
    await click(options, 'sync-create-account');
    await options.waitForSelector(tid('account-plan-name'), { timeout: 60_000 });
    expect(await planName()).toBe('Free');
    const bars = await options.$$eval(tid('usage-bar'), (els) => els.map((e) => e.getAttribute('data-key')));
    expect(bars).toEqual(expect.arrayContaining(['devices', 'chatRequests', 'storageBytes']));

    const checkoutTab = new Promise<string>((resolve) => eb.browser.on('targetcreated', (t) => t.url().includes('checkout.stripe.test') && resolve(t.url())));
    await click(options, 'plan-upgrade-plus');
    expect(await checkoutTab).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const asked = ((await (await fetch(`${stripeDouble.url}/__log`)).json()) as StripeLogEntry[]).find((e) => e.path === '/v1/checkout/sessions')!;
    expect(asked.form).toMatchObject({ mode: 'subscription', 'line_items[0][price]': 'price_plus' });
    const userId = asked.form.client_reference_id!;

    // Stripe tells the worker; the options page (still polling) shows the new plan.
    expect(await deliver('checkout.session.completed', { id: 'cs_e2e', object: 'checkout.session', mode: 'subscription', client_reference_id: userId, customer: 'cus_e2e', subscription: 'sub_e2e', metadata: { userId, plan: 'plus' } })).toBe(200);
    expect(await deliver('customer.subscription.created', subscription(userId, 'active'))).toBe(200);
    await options.bringToFront();
    await waitFor(planName, (name) => name === 'Plus', { timeout: 30_000, message: 'the page to show Plus' });
    expect(await options.$eval(tid('account-message'), (el) => el.textContent)).toMatch(/You are on Plus now/);
    await options.waitForSelector(tid('billing-portal'), { visible: true });
  }, 240_000);

  test('a cancelled subscription brings the account back to Free', async () => {
    const log = (await (await fetch(`${stripeDouble.url}/__log`)).json()) as StripeLogEntry[];
    const userId = log.find((e) => e.path === '/v1/checkout/sessions')!.form.client_reference_id!;
    expect(await deliver('customer.subscription.deleted', subscription(userId, 'canceled'))).toBe(200);
    // A forged event (wrong secret) is refused and changes nothing.
    const forged = await fetch(`${worker.url}/v1/billing/webhook`, {
      method: 'POST',
      headers: { 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload: '{}', secret: 'whsec_wrong' }) },
      body: '{}',
    });
    expect(forged.status).toBe(400);
    await options.reload({ waitUntil: 'domcontentloaded' });
    await waitFor(planName, (name) => name === 'Free', { timeout: 30_000, message: 'the page to show Free again' });
  }, 120_000);
});
