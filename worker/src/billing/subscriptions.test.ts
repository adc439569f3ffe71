import { describe, expect, it } from 'vitest';
import { effectivePlan, periodOf, type Subscription } from './subscriptions';
import { plansOf } from './plans';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 3, 12);
const policy = { renewalGraceMs: 3 * DAY };
const sub = (patch: Partial<Subscription>): Subscription => ({
  userId: 'usr_1',
  plan: 'plus',
  status: 'active',
  customerId: 'cus_1',
  subscriptionId: 'sub_1',
  periodStart: now - 10 * DAY,
  periodEnd: now + 20 * DAY,
  graceUntil: null,
  cancelAtPeriodEnd: false,
  stateAt: now - 10 * DAY,
  ...patch,
});

describe('effectivePlan', () => {
  it('is Free without a subscription, and the subscribed plan while it is current', () => {
    expect(effectivePlan(null, now, policy)).toEqual({ plan: 'free', note: null });
    expect(effectivePlan(sub({}), now, policy)).toEqual({ plan: 'plus', note: null });
  });

  it('keeps a paid plan for the renewal grace only (fail open, bounded)', () => {
    expect(effectivePlan(sub({ periodEnd: now - 2 * DAY }), now, policy).plan).toBe('plus');
    expect(effectivePlan(sub({ periodEnd: now - 4 * DAY }), now, policy).plan).toBe('free');
  });

  it('downgrades a failed payment when its grace is over, and a cancelled or incomplete subscription at once', () => {
    expect(effectivePlan(sub({ status: 'past_due', graceUntil: now + DAY }), now, policy).plan).toBe('plus');
    expect(effectivePlan(sub({ status: 'past_due', graceUntil: now - 1 }), now, policy).plan).toBe('free');
    expect(effectivePlan(sub({ status: 'canceled' }), now, policy).plan).toBe('free');
    expect(effectivePlan(sub({ status: 'incomplete' }), now, policy).plan).toBe('free');
  });
});

describe('periodOf', () => {
  it('uses the billing period while paid, the next one in the renewal grace, the calendar month on Free', () => {
    const s = sub({});
    expect(periodOf(s, { plan: 'plus', note: null }, now)).toEqual({ start: s.periodStart, end: s.periodEnd });
    const ended = sub({ periodStart: now - 31 * DAY, periodEnd: now - DAY });
    expect(periodOf(ended, { plan: 'plus', note: null }, now)).toEqual({ start: now - DAY, end: now + 29 * DAY });
    expect(periodOf(null, { plan: 'free', note: null }, now)).toEqual({ start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
  });
});

describe('plansOf', () => {
  it('takes a deployment’s plans, and refuses broken ones loudly', () => {
    expect(plansOf({}).map((p) => p.id)).toEqual(['free', 'plus', 'pro', 'store']);
    expect(() => plansOf({ PLANS: '{' })).toThrow(/not valid JSON/);
    expect(() => plansOf({ PLANS: JSON.stringify([{ id: 'plus' }]) })).toThrow(/valid plan list/);
  });
});
