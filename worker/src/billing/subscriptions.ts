import type { PlanId, SubscriptionStatus } from '../../../shared/schemas/billing';

/**
 * What the worker knows of an account's subscription (D1 `subscriptions`), written only by Stripe's
 * webhooks (webhook.ts) and read by the entitlement module. `state_at` is the Stripe event time of the
 * state stored, so an older event delivered late never overwrites a newer one.
 */
export interface Subscription {
  userId: string;
  plan: PlanId;
  status: SubscriptionStatus;
  customerId: string | null;
  subscriptionId: string | null;
  periodStart: number | null;
  periodEnd: number | null;
  graceUntil: number | null;
  cancelAtPeriodEnd: boolean;
  stateAt: number;
}

interface Row {
  user_id: string;
  plan: string;
  status: string;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  period_start: number | null;
  period_end: number | null;
  grace_until: number | null;
  cancel_at_period_end: number;
  state_at: number;
}

function fromRow(r: Row): Subscription {
  return {
    userId: r.user_id,
    plan: r.plan as PlanId,
    status: r.status as SubscriptionStatus,
    customerId: r.stripe_customer_id,
    subscriptionId: r.stripe_subscription_id,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    graceUntil: r.grace_until,
    cancelAtPeriodEnd: r.cancel_at_period_end === 1,
    stateAt: r.state_at,
  };
}

export async function getSubscription(db: D1Database, userId: string): Promise<Subscription | null> {
  const row = await db.prepare('SELECT * FROM subscriptions WHERE user_id = ?').bind(userId).first<Row>();
  return row ? fromRow(row) : null;
}

export async function userOfCustomer(db: D1Database, customerId: string): Promise<string | null> {
  const row = await db.prepare('SELECT user_id FROM subscriptions WHERE stripe_customer_id = ?').bind(customerId).first<{ user_id: string }>();
  return row?.user_id ?? null;
}

/** Writes the fields given; the statement is returned so the caller can batch it with the event row
 * that makes the write idempotent. */
export function upsertSubscription(db: D1Database, userId: string, patch: Partial<Omit<Subscription, 'userId'>>, now: number): D1PreparedStatement {
  const cols: Record<string, unknown> = {};
  if (patch.plan !== undefined) cols.plan = patch.plan;
  if (patch.status !== undefined) cols.status = patch.status;
  if (patch.customerId !== undefined) cols.stripe_customer_id = patch.customerId;
  if (patch.subscriptionId !== undefined) cols.stripe_subscription_id = patch.subscriptionId;
  if (patch.periodStart !== undefined) cols.period_start = patch.periodStart;
  if (patch.periodEnd !== undefined) cols.period_end = patch.periodEnd;
  if (patch.graceUntil !== undefined) cols.grace_until = patch.graceUntil;
  if (patch.cancelAtPeriodEnd !== undefined) cols.cancel_at_period_end = patch.cancelAtPeriodEnd ? 1 : 0;
  if (patch.stateAt !== undefined) cols.state_at = patch.stateAt;
  const names = Object.keys(cols);
  const insertCols = ['user_id', 'plan', 'status', 'updated_at', ...names.filter((n) => n !== 'plan' && n !== 'status')];
  const insertVals = [userId, cols.plan ?? 'free', cols.status ?? 'none', now, ...names.filter((n) => n !== 'plan' && n !== 'status').map((n) => cols[n])];
  const updates = [...names.map((n) => `${n} = excluded.${n}`), 'updated_at = excluded.updated_at'];
  return db
    .prepare(
      `INSERT INTO subscriptions (${insertCols.join(', ')}) VALUES (${insertCols.map(() => '?').join(', ')})
       ON CONFLICT(user_id) DO UPDATE SET ${updates.join(', ')}`,
    )
    .bind(...insertVals);
}

export interface Effective {
  plan: PlanId;
  note: string | null;
}

export interface GracePolicy {
  /** How long paid features stay on past the period's end while no renewal has been confirmed. */
  renewalGraceMs: number;
}

/**
 * The plan in force now. The billing side being unreachable shows up here as a renewal that was never
 * confirmed (no invoice.paid / subscription.updated after the period ended): paid accounts keep their
 * plan for a bounded grace (fail open — a Stripe outage must not take features from people who pay),
 * then fall back to Free. Free accounts never get more than Free (fail closed). A failed payment sets
 * its own grace (webhook.ts), after which the account is downgraded the same way.
 */
export function effectivePlan(sub: Subscription | null, now: number, policy: GracePolicy): Effective {
  if (!sub || sub.plan === 'free' || sub.status === 'none') return { plan: 'free', note: null };
  if (sub.status === 'canceled') return { plan: 'free', note: 'the subscription was cancelled' };
  if (sub.status === 'incomplete') return { plan: 'free', note: 'the first payment has not gone through yet' };
  if (sub.status === 'past_due') {
    if (sub.graceUntil !== null && now > sub.graceUntil) return { plan: 'free', note: 'a payment failed and its grace period is over' };
    return { plan: sub.plan, note: 'a payment failed: update your card before the grace period ends' };
  }
  if (sub.periodEnd !== null && now > sub.periodEnd + policy.renewalGraceMs) {
    return { plan: 'free', note: 'the renewal was never confirmed by the billing service' };
  }
  if (sub.periodEnd !== null && now > sub.periodEnd) return { plan: sub.plan, note: 'waiting for the billing service to confirm the renewal' };
  return { plan: sub.plan, note: null };
}

const MONTH_START = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const NEXT_MONTH_START = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The usage period: the subscription's billing period while it is paid and current, else the calendar
 * month (UTC). Usage is keyed by the period's start, so a new period starts from zero by itself. */
export function periodOf(sub: Subscription | null, effective: Effective, now: number): { start: number; end: number } {
  if (effective.plan !== 'free' && sub?.periodStart != null && sub.periodEnd != null && now >= sub.periodStart) {
    if (now < sub.periodEnd) return { start: sub.periodStart, end: sub.periodEnd };
    // In the renewal grace the next period has begun, though Stripe has not said so yet.
    return { start: sub.periodEnd, end: sub.periodEnd + (sub.periodEnd - sub.periodStart) };
  }
  return { start: MONTH_START(now), end: NEXT_MONTH_START(now) };
}
