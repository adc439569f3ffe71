import type Stripe from 'stripe';
import type { PlanId, SubscriptionStatus } from '../../../shared/schemas/billing';
import { PLAN_IDS } from '../../../shared/schemas/billing';
import type { Env } from '../env';
import { intVar } from '../env';
import { ApiError } from '../http/errors';
import { logJson } from '../observability/log';
import { cryptoProvider, planOfPrice, stripeOf } from './stripe-client';
import { getSubscription, upsertSubscription, userOfCustomer, type Subscription } from './subscriptions';

/**
 * Stripe webhooks: verified on the raw body (constructEventAsync, SubtleCrypto), processed once per
 * event id, and in any order. Idempotency: the event's row and the state it writes commit in one D1
 * batch, so a redelivery finds the row and changes nothing, and a failure leaves neither (Stripe retries).
 * Order: each state write carries the event's time; a state older than the stored one is not applied,
 * so `customer.subscription.deleted` delivered before a late `…updated` stays deleted.
 */

export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;

const DAY = 86_400_000;
/** Stripe's own default: a signature older than five minutes is a replay. */
const TOLERANCE_S = 300;

export interface WebhookOutcome {
  eventId: string;
  type: string;
  outcome: 'applied' | 'duplicate' | 'stale' | 'no-account' | 'other-subscription';
}

function statusOf(stripeStatus: string): SubscriptionStatus {
  switch (stripeStatus) {
    case 'active':
    case 'trialing':
      return 'active';
    case 'past_due':
    case 'unpaid':
      return 'past_due';
    case 'canceled':
    case 'incomplete_expired':
      return 'canceled';
    default:
      return 'incomplete';
  }
}

const asPlan = (value: unknown): PlanId | null => (typeof value === 'string' && (PLAN_IDS as readonly string[]).includes(value) ? (value as PlanId) : null);
const idOf = (value: unknown): string | null => (typeof value === 'string' ? value : value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : null);
const ms = (seconds: unknown): number | null => (typeof seconds === 'number' ? seconds * 1000 : null);

/** A state older than what is stored loses; at the same instant a cancellation of the same subscription wins. */
function isStale(existing: Subscription | null, at: number, subscriptionId: string | null): boolean {
  if (!existing) return false;
  if (at < existing.stateAt) return true;
  return at === existing.stateAt && existing.status === 'canceled' && existing.subscriptionId === subscriptionId;
}

export async function verifyEvent(env: Env, rawBody: string, signature: string | undefined): Promise<Stripe.Event> {
  if (!env.STRIPE_WEBHOOK_SECRET) throw new ApiError('provider_unavailable', 'billing webhooks are not configured on this worker');
  if (!signature) throw new ApiError('bad_request', 'missing Stripe-Signature header');
  try {
    return await stripeOf(env).webhooks.constructEventAsync(rawBody, signature, env.STRIPE_WEBHOOK_SECRET, TOLERANCE_S, cryptoProvider);
  } catch (error) {
    // Bad signatures and replays (old timestamps) both land here; the reason goes to the log only.
    logJson({ level: 'warn', msg: 'stripe webhook refused', reason: String((error as Error).message ?? error).slice(0, 200) });
    throw new ApiError('bad_request', 'webhook signature verification failed');
  }
}

export async function processEvent(env: Env, event: Stripe.Event, now = Date.now()): Promise<WebhookOutcome> {
  const base = { eventId: event.id, type: event.type };
  if (!(HANDLED_EVENTS as readonly string[]).includes(event.type)) {
    logJson({ level: 'warn', msg: 'stripe webhook of an unhandled type refused', eventId: event.id, type: event.type });
    throw new ApiError('bad_request', `unhandled event type ${event.type}`);
  }
  const seen = await env.DB.prepare('SELECT outcome FROM stripe_events WHERE id = ?').bind(event.id).first<{ outcome: string }>();
  if (seen) return { ...base, outcome: 'duplicate' };

  const at = event.created * 1000;
  const object = event.data.object as unknown as Record<string, any>;
  let userId: string | null = null;
  let patch: Partial<Omit<Subscription, 'userId'>> | null = null;
  let outcome: WebhookOutcome['outcome'] = 'applied';

  if (event.type === 'checkout.session.completed') {
    userId = object.client_reference_id ?? object.metadata?.userId ?? null;
    if (userId) {
      const existing = await getSubscription(env.DB, userId);
      const subscriptionId = idOf(object.subscription);
      patch = { customerId: idOf(object.customer) };
      // The session names the plan bought; its state only counts when nothing newer arrived first.
      if (!isStale(existing, at, subscriptionId)) {
        patch = { ...patch, subscriptionId, plan: asPlan(object.metadata?.plan) ?? existing?.plan ?? 'free', status: 'active', graceUntil: null, stateAt: at };
      } else outcome = 'stale';
    }
  } else if (event.type.startsWith('customer.subscription.')) {
    const customerId = idOf(object.customer);
    userId = object.metadata?.userId ?? (customerId ? await userOfCustomer(env.DB, customerId) : null);
    if (userId) {
      const existing = await getSubscription(env.DB, userId);
      const subscriptionId = idOf(object);
      const item = object.items?.data?.[0];
      if (existing?.subscriptionId && subscriptionId !== existing.subscriptionId && existing.status === 'active' && event.type === 'customer.subscription.deleted') {
        outcome = 'other-subscription';
        patch = { customerId };
      } else if (isStale(existing, at, subscriptionId)) {
        outcome = 'stale';
        patch = { customerId };
      } else {
        const status = event.type === 'customer.subscription.deleted' ? 'canceled' : statusOf(String(object.status));
        patch = {
          customerId,
          subscriptionId,
          plan: asPlan(object.metadata?.plan) ?? asPlan(planOfPrice(env, item?.price?.id)) ?? existing?.plan ?? 'free',
          status,
          periodStart: ms(item?.current_period_start ?? object.current_period_start),
          periodEnd: ms(item?.current_period_end ?? object.current_period_end),
          cancelAtPeriodEnd: Boolean(object.cancel_at_period_end),
          ...(status === 'active' ? { graceUntil: null } : {}),
          stateAt: at,
        };
      }
    }
  } else {
    // invoice.paid / invoice.payment_failed
    const customerId = idOf(object.customer);
    const details = object.parent?.subscription_details;
    userId = details?.metadata?.userId ?? (customerId ? await userOfCustomer(env.DB, customerId) : null);
    if (userId) {
      const existing = await getSubscription(env.DB, userId);
      const subscriptionId = idOf(details?.subscription ?? object.subscription);
      if (isStale(existing, at, subscriptionId)) outcome = 'stale';
      else if (event.type === 'invoice.paid') {
        const period = object.lines?.data?.[0]?.period;
        patch = {
          status: 'active',
          graceUntil: null,
          ...(period?.start && period?.end ? { periodStart: ms(period.start), periodEnd: ms(period.end) } : {}),
          stateAt: at,
        };
      } else {
        // A failed payment keeps the plan for a grace period (Stripe retries the card), then downgrades.
        patch = { status: 'past_due', graceUntil: at + intVar(env.BILLING_PAYMENT_GRACE_DAYS, 7) * DAY, stateAt: at };
      }
    }
  }

  if (userId && !(await env.DB.prepare('SELECT 1 AS ok FROM users WHERE id = ?').bind(userId).first())) {
    // A deleted account (or one of another deployment): nothing to write, and no retry would help.
    userId = null;
    patch = null;
  }
  if (!userId) {
    outcome = 'no-account';
    logJson({ level: 'warn', msg: 'stripe event names no known account', eventId: event.id, type: event.type });
  }
  const record = env.DB.prepare('INSERT INTO stripe_events (id, type, created, received_at, outcome) VALUES (?, ?, ?, ?, ?)').bind(event.id, event.type, at, now, outcome);
  const writes = userId && patch ? [upsertSubscription(env.DB, userId, patch, now)] : [];
  try {
    await env.DB.batch([record, ...writes]);
  } catch (error) {
    // The same event delivered twice at once: the other delivery committed it first.
    if (/UNIQUE|PRIMARY KEY|constraint/i.test(String(error))) return { ...base, outcome: 'duplicate' };
    throw error;
  }
  return { ...base, outcome };
}
