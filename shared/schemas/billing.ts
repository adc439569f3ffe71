import { z } from 'zod';

/**
 * Plans, entitlements and usage: the contract between the worker's billing routes and the options
 * page's account view. Everything on the device is free forever; what the worker does for an account
 * (sync, its models, web search, images, the Shopify widget) is what a plan grants.
 *
 * Two kinds of entitlement:
 * - metered: used up within a billing period (requests, searches, images, widget conversations) and
 *   counted by the worker as they happen;
 * - gauge: a level that must stay under the limit (devices, stored bytes, stores), measured when asked.
 */

export const PLAN_IDS = ['free', 'plus', 'pro', 'store'] as const;
export const PlanId = z.enum(PLAN_IDS);
export type PlanId = z.infer<typeof PlanId>;

export const ENTITLEMENTS = {
  devices: { kind: 'gauge', label: 'Synced devices', unit: 'devices' },
  storageBytes: { kind: 'gauge', label: 'Synced storage', unit: 'bytes' },
  chatRequests: { kind: 'metered', label: 'Chat and writing requests', unit: 'requests' },
  webSearches: { kind: 'metered', label: 'Web searches', unit: 'searches' },
  images: { kind: 'metered', label: 'Generated images', unit: 'images' },
  stores: { kind: 'gauge', label: 'Shopify stores', unit: 'stores' },
  widgetConversations: { kind: 'metered', label: 'Store widget conversations', unit: 'conversations' },
} as const;
export type EntitlementKey = keyof typeof ENTITLEMENTS;
export const ENTITLEMENT_KEYS = Object.keys(ENTITLEMENTS) as EntitlementKey[];
export const EntitlementKeySchema = z.enum(ENTITLEMENT_KEYS as [EntitlementKey, ...EntitlementKey[]]);

/** A limit: a count, or null for "no limit". */
const Limit = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable();

export const Plan = z.object({
  id: PlanId,
  name: z.string().min(1).max(40),
  audience: z.enum(['person', 'merchant']),
  /** Price per month in the currency's minor unit (cents); 0 for free. */
  monthlyPrice: z.number().int().nonnegative().max(10_000_000),
  currency: z.string().regex(/^[a-z]{3}$/),
  /** What the plan grants, per entitlement. */
  limits: z.object(Object.fromEntries(ENTITLEMENT_KEYS.map((k) => [k, Limit])) as Record<EntitlementKey, typeof Limit>),
  /** Metered entitlements that may run past their limit, each extra unit reported to a Stripe meter. */
  overage: z.array(z.object({ entitlement: EntitlementKeySchema, meter: z.string().min(1).max(100), hardCap: z.number().int().positive() })).max(8).default([]),
});
export type Plan = z.infer<typeof Plan>;

export const PlansResponse = z.object({ plans: z.array(Plan).max(20) });
export type PlansResponse = z.infer<typeof PlansResponse>;

export const SUBSCRIPTION_STATUSES = ['none', 'active', 'past_due', 'canceled', 'incomplete'] as const;
export const SubscriptionStatus = z.enum(SUBSCRIPTION_STATUSES);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

export const UsageLine = z.object({
  key: EntitlementKeySchema,
  label: z.string(),
  kind: z.enum(['metered', 'gauge']),
  unit: z.string(),
  used: z.number().nonnegative(),
  limit: Limit,
  /** used / limit, 0 when unlimited. */
  fraction: z.number().nonnegative(),
  /** At or past 80 %: the account view warns. */
  warn: z.boolean(),
  /** At or past 100 %: requests that need more are refused (with an upgrade link). */
  blocked: z.boolean(),
});
export type UsageLine = z.infer<typeof UsageLine>;

export const UsageResponse = z.object({
  /** The plan in force now (may differ from the subscribed one: grace ended, payment failed …). */
  plan: PlanId,
  subscribedPlan: PlanId,
  status: SubscriptionStatus,
  /** Why the plan in force is what it is, in words, when it is not simply the subscription's. */
  note: z.string().max(300).nullable(),
  periodStart: z.number().int(),
  periodEnd: z.number().int(),
  graceUntil: z.number().int().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  /** Whether this worker can take payments (Stripe configured). */
  billingEnabled: z.boolean(),
  usage: z.array(UsageLine).max(ENTITLEMENT_KEYS.length),
});
export type UsageResponse = z.infer<typeof UsageResponse>;

export const CheckoutRequest = z.object({ plan: z.enum(['plus', 'pro', 'store']) });
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const RedirectResponse = z.object({ url: z.string().url().max(4096) });
export type RedirectResponse = z.infer<typeof RedirectResponse>;
