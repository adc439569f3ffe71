import { Plan, PlanId, type EntitlementKey } from '../../../shared/schemas/billing';
import { ApiError } from '../http/errors';

/**
 * The plans, as data. This file (and a deployment's `PLANS` variable, which replaces it whole) is the
 * only place a limit lives: routes ask entitlements.ts, never a number of their own.
 *
 * Why these shapes: Free is generous enough to try sync and the worker's models on two devices; Plus is
 * the everyday personal plan; Pro adds web-grounded answers and images in volume, with images past the
 * included amount billed as metered extras; Store is for merchants running the widget.
 */
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const DEFAULT_PLANS: readonly Plan[] = [
  {
    id: 'free',
    name: 'Free',
    audience: 'person',
    monthlyPrice: 0,
    currency: 'eur',
    limits: { devices: 3, storageBytes: 200 * MiB, chatRequests: 100, webSearches: 20, images: 0, stores: 0, widgetConversations: 0 },
    overage: [],
  },
  {
    id: 'plus',
    name: 'Plus',
    audience: 'person',
    monthlyPrice: 500,
    currency: 'eur',
    limits: { devices: 5, storageBytes: 5 * GiB, chatRequests: 2_000, webSearches: 500, images: 50, stores: 0, widgetConversations: 0 },
    overage: [],
  },
  {
    id: 'pro',
    name: 'Pro',
    audience: 'person',
    monthlyPrice: 1500,
    currency: 'eur',
    limits: { devices: 10, storageBytes: 50 * GiB, chatRequests: 10_000, webSearches: 5_000, images: 300, stores: 0, widgetConversations: 0 },
    overage: [{ entitlement: 'images', meter: 'calicolobster_images', hardCap: 3_000 }],
  },
  {
    id: 'store',
    name: 'Store',
    audience: 'merchant',
    monthlyPrice: 4900,
    currency: 'eur',
    limits: { devices: 5, storageBytes: 5 * GiB, chatRequests: 2_000, webSearches: 500, images: 50, stores: 3, widgetConversations: 5_000 },
    overage: [{ entitlement: 'widgetConversations', meter: 'calicolobster_widget_conversations', hardCap: 100_000 }],
  },
];

/** The plans in force: the deployment's `PLANS` (a JSON array of plans, validated) or the defaults. A
 * broken `PLANS` is a deployment error, so it fails loudly rather than silently granting defaults. */
export function plansOf(env: { PLANS?: string }): readonly Plan[] {
  if (!env.PLANS) return DEFAULT_PLANS;
  let raw: unknown;
  try {
    raw = JSON.parse(env.PLANS);
  } catch {
    throw new ApiError('internal', 'the PLANS variable is not valid JSON');
  }
  const parsed = Plan.array().min(1).max(20).safeParse(raw);
  if (!parsed.success || !parsed.data.some((p) => p.id === 'free')) throw new ApiError('internal', 'the PLANS variable is not a valid plan list with a free plan');
  return parsed.data;
}

export function planOf(env: { PLANS?: string }, id: PlanId): Plan {
  const plans = plansOf(env);
  return plans.find((p) => p.id === id) ?? plans.find((p) => p.id === 'free')!;
}

export function limitOf(plan: Plan, key: EntitlementKey): number | null {
  return plan.limits[key];
}

export { PlanId };
