import { ENTITLEMENT_KEYS, ENTITLEMENTS, type EntitlementKey, type Plan, type UsageLine, type UsageResponse } from '../../../shared/schemas/billing';
import type { Env } from '../env';
import { intVar } from '../env';
import { ApiError } from '../http/errors';
import { queueMeterEvent } from './meter-events';
import { consume, refund, usageOf } from './meter';
import { planOf } from './plans';
import { effectivePlan, getSubscription, periodOf, type Effective, type Subscription } from './subscriptions';

/**
 * The one answer to "may this account do this now?" (check) that also records the use (the same
 * atomic step), for every route that spends something the plans limit. Routes name an entitlement;
 * the limit comes from the plan in force (plans.ts), never from the route.
 */

const DAY = 86_400_000;
export const WARN_AT = 0.8;

export interface AccountState {
  sub: Subscription | null;
  effective: Effective;
  plan: Plan;
  period: { start: number; end: number };
}

export async function accountState(env: Env, userId: string, now: number): Promise<AccountState> {
  const sub = await getSubscription(env.DB, userId);
  const effective = effectivePlan(sub, now, { renewalGraceMs: intVar(env.BILLING_RENEWAL_GRACE_DAYS, 3) * DAY });
  return { sub, effective, plan: planOf(env, effective.plan), period: periodOf(sub, effective, now) };
}

export interface Grant {
  key: EntitlementKey;
  used: number;
  limit: number | null;
  /** At or past 80 % of the limit after this use: surfaces tell the person. */
  warn: boolean;
  /** Gives the use back (the request failed before it delivered anything). */
  release(): Promise<void>;
}

function refusal(state: AccountState, key: EntitlementKey, limit: number | null): ApiError {
  const { label, kind } = ENTITLEMENTS[key];
  const upgrade = state.plan.id === 'free' ? 'Upgrade in Options → Account for more.' : 'See Options → Account for plans with more.';
  if (kind === 'metered') {
    const retryAfter = Math.max(1, Math.ceil((state.period.end - Date.now()) / 1000));
    return new ApiError('quota_exceeded', `${label}: the ${state.plan.name} plan's ${limit} this period are used up. ${upgrade}`, undefined, {
      'retry-after': String(retryAfter),
      'x-upgrade': 'options#account',
    });
  }
  return new ApiError('quota_exceeded', `${label}: the ${state.plan.name} plan allows ${limit}. ${upgrade}`, undefined, { 'x-upgrade': 'options#account' });
}

/** Spends `amount` of a metered entitlement, or refuses with 429 quota_exceeded and nothing spent. */
export async function spend(env: Env, userId: string, key: EntitlementKey, amount = 1, now = Date.now()): Promise<Grant> {
  if (ENTITLEMENTS[key].kind !== 'metered') throw new Error(`${key} is not metered`);
  const state = await accountState(env, userId, now);
  const limit = state.plan.limits[key];
  const overage = state.plan.overage.find((o) => o.entitlement === key);
  const cap = overage ? Math.max(overage.hardCap, limit ?? 0) : limit;
  const used = await consume(env.DB, userId, key, state.period.start, amount, cap);
  if (used === null) throw refusal(state, key, limit);
  if (overage && limit !== null && used > limit && state.sub?.customerId) {
    // Past what the plan includes: each extra unit is billed through the Stripe meter.
    await queueMeterEvent(env.DB, { userId, customerId: state.sub.customerId, meter: overage.meter, value: Math.min(amount, used - limit), now });
  }
  return {
    key,
    used,
    limit,
    warn: limit !== null && !overage && used >= WARN_AT * limit,
    release: () => refund(env.DB, userId, key, state.period.start, amount),
  };
}

/** Checks that a gauge stays within its limit once `adding` more is there (a device joining, bytes pushed). */
export async function ensureRoom(env: Env, userId: string, key: EntitlementKey, current: number, adding: number, now = Date.now()): Promise<void> {
  if (ENTITLEMENTS[key].kind !== 'gauge') throw new Error(`${key} is not a gauge`);
  const state = await accountState(env, userId, now);
  const limit = state.plan.limits[key];
  if (limit !== null && current + adding > limit) throw refusal(state, key, limit);
}

/** Sets the response headers that let a client warn before the limit is reached. */
export function usageHeaders(grant: Grant): Record<string, string> {
  const headers: Record<string, string> = { 'x-usage': `${grant.key}=${grant.used}/${grant.limit ?? 'unlimited'}` };
  if (grant.warn) headers['x-usage-warning'] = `${ENTITLEMENTS[grant.key].label}: ${grant.used} of ${grant.limit} used this period`;
  return headers;
}

export interface Gauges {
  devices(): Promise<number>;
  storageBytes(): Promise<number>;
  stores(): Promise<number>;
}

/** The account view's numbers: every entitlement of the plan in force with what is used of it. */
export async function usageReport(env: Env, userId: string, gauges: Gauges, now = Date.now()): Promise<UsageResponse> {
  const state = await accountState(env, userId, now);
  const metered = await usageOf(env.DB, userId, state.period.start);
  const gaugeValues: Record<string, number> = {
    devices: await gauges.devices(),
    storageBytes: await gauges.storageBytes(),
    stores: await gauges.stores(),
  };
  const usage: UsageLine[] = ENTITLEMENT_KEYS.map((key) => {
    const meta = ENTITLEMENTS[key];
    const used = meta.kind === 'gauge' ? (gaugeValues[key] ?? 0) : (metered[key] ?? 0);
    const limit = state.plan.limits[key];
    const fraction = limit === null ? 0 : limit === 0 ? (used > 0 ? 1 : 0) : used / limit;
    return { key, label: meta.label, kind: meta.kind, unit: meta.unit, used, limit, fraction, warn: limit !== null && limit > 0 && fraction >= WARN_AT, blocked: limit !== null && used >= limit };
  });
  return {
    plan: state.effective.plan,
    subscribedPlan: state.sub?.plan ?? 'free',
    status: state.sub?.status ?? 'none',
    note: state.effective.note,
    periodStart: state.period.start,
    periodEnd: state.period.end,
    graceUntil: state.sub?.graceUntil ?? null,
    cancelAtPeriodEnd: state.sub?.cancelAtPeriodEnd ?? false,
    billingEnabled: Boolean(env.STRIPE_SECRET_KEY),
    usage,
  };
}
