import { Hono } from 'hono';
import { CheckoutRequest, type PlansResponse } from '../../../shared/schemas/billing';
import { accountState, usageReport, type Gauges } from '../billing/entitlements';
import { plansOf } from '../billing/plans';
import { callStripe, priceIdOf, stripeOf } from '../billing/stripe-client';
import { getSubscription } from '../billing/subscriptions';
import { processEvent, verifyEvent } from '../billing/webhook';
import type { Env } from '../env';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { readJson } from '../http/validate';
import { userStore } from '../store/stub';

/** What an account holds now, for the usage view and the gauge checks. */
export function gaugesOf(env: Env, userId: string, now = Date.now()): Gauges {
  return {
    devices: async () =>
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM devices WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?').bind(userId, now).first<{ n: number }>())?.n ?? 0,
    storageBytes: () => userStore(env, userId).storageBytes(),
    // Merchant stores registered for the Shopify widget (worker/src/shopify/routes.ts).
    stores: async () =>
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM shopify_stores WHERE owner_user_id = ?').bind(userId).first<{ n: number }>())?.n ?? 0,
  };
}

/** Routes that need no token: the plan list, Stripe's webhook, and the page Checkout returns to. */
export const publicBillingRoutes = new Hono<AppEnv>()
  .get('/billing/plans', (c) => c.json({ plans: [...plansOf(c.env)] } satisfies PlansResponse))
  .post('/billing/webhook', async (c) => {
    // The signature covers the exact bytes sent, so the body is read raw, never re-serialised.
    const raw = await c.req.text();
    const event = await verifyEvent(c.env, raw, c.req.header('stripe-signature'));
    return c.json(await processEvent(c.env, event));
  })
  .get('/billing/return', (c) => {
    const ok = c.req.query('result') === 'success';
    const text = ok
      ? 'Thank you — your plan changes as soon as the payment is confirmed. You can close this tab; the account page in CalicoLobster shows the new plan.'
      : 'Nothing was charged. You can close this tab.';
    return c.html(`<!doctype html><meta charset="utf-8"><title>CalicoLobster</title><body style="font-family:system-ui;max-width:36rem;margin:4rem auto"><h1>CalicoLobster</h1><p data-testid="billing-return">${text}</p></body>`);
  });

/** Routes of a signed-in device. */
export const billingRoutes = new Hono<AppEnv>()
  .get('/usage', async (c) => {
    const { userId } = c.get('auth');
    return c.json(await usageReport(c.env, userId, gaugesOf(c.env, userId)));
  })
  .post('/billing/checkout', async (c) => {
    const { userId } = c.get('auth');
    const body = await readJson(c, CheckoutRequest);
    const state = await accountState(c.env, userId, Date.now());
    if (state.sub?.subscriptionId && state.sub.status !== 'canceled' && state.effective.plan !== 'free') {
      throw new ApiError('conflict', 'this account already has a subscription: change or cancel it in the billing portal');
    }
    const price = priceIdOf(c.env, body.plan);
    const stripe = stripeOf(c.env);
    const origin = new URL(c.req.url).origin;
    const metadata = { userId, plan: body.plan };
    const session = await callStripe('start a checkout', () =>
      stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price, quantity: 1 }],
        client_reference_id: userId,
        ...(state.sub?.customerId ? { customer: state.sub.customerId } : {}),
        metadata,
        // The subscription carries the account too, so its events need not wait for the session's.
        subscription_data: { metadata },
        success_url: `${origin}/v1/billing/return?result=success`,
        cancel_url: `${origin}/v1/billing/return?result=cancel`,
      }),
    );
    if (!session.url) throw new ApiError('provider_error', 'the billing service returned no checkout page');
    return c.json({ url: session.url });
  })
  .post('/billing/portal', async (c) => {
    const { userId } = c.get('auth');
    const sub = await getSubscription(c.env.DB, userId);
    if (!sub?.customerId) throw new ApiError('conflict', 'this account has no subscription yet: choose a plan first');
    const stripe = stripeOf(c.env);
    const origin = new URL(c.req.url).origin;
    const session = await callStripe('open the billing portal', () =>
      stripe.billingPortal.sessions.create({ customer: sub.customerId!, return_url: `${origin}/v1/billing/return?result=portal` }),
    );
    return c.json({ url: session.url });
  })
  .delete('/account', async (c) => {
    const { userId } = c.get('auth');
    const sub = await getSubscription(c.env.DB, userId);
    // Cancel first: if Stripe can't be reached nothing is deleted, so nobody keeps paying for a deleted account.
    if (sub?.subscriptionId && sub.status !== 'canceled' && c.env.STRIPE_SECRET_KEY) {
      const stripe = stripeOf(c.env);
      await callStripe('cancel the subscription', () => stripe.subscriptions.cancel(sub.subscriptionId!));
    }
    await userStore(c.env, userId).deleteEverything(userId);
    await c.env.DB.batch([
      c.env.DB.prepare('DELETE FROM usage WHERE user_id = ?').bind(userId),
      c.env.DB.prepare('DELETE FROM meter_events WHERE user_id = ?').bind(userId),
      c.env.DB.prepare('DELETE FROM subscriptions WHERE user_id = ?').bind(userId),
      c.env.DB.prepare('DELETE FROM pairing_codes WHERE user_id = ?').bind(userId),
      c.env.DB.prepare('DELETE FROM devices WHERE user_id = ?').bind(userId),
      c.env.DB.prepare('DELETE FROM users WHERE id = ?').bind(userId),
    ]);
    return c.json({ deleted: true });
  });
