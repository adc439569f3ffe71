import Stripe from 'stripe';
import type { Env } from '../env';
import { ApiError } from '../http/errors';

/**
 * The official Stripe library in its Workers mode: fetch for HTTP, SubtleCrypto for webhook
 * signatures. `STRIPE_API_BASE` points it at another host (the loopback Stripe test double in tests);
 * unset, it talks to api.stripe.com.
 */
export function stripeOf(env: Env): Stripe {
  if (!env.STRIPE_SECRET_KEY) throw new ApiError('provider_unavailable', 'billing is not configured on this worker');
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 1,
    timeout: 10_000,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === 'https:' ? 443 : 80), protocol: base.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
}

export const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** Any failure to reach Stripe becomes one clear, retryable answer; nothing was changed. */
export async function callStripe<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) throw new ApiError('bad_request', `the billing service refused to ${what}`);
    throw new ApiError('provider_unavailable', `the billing service could not be reached to ${what}; nothing was changed, try again in a minute`, undefined, { 'retry-after': '60' });
  }
}

/** Price ids per plan, from `STRIPE_PRICE_IDS` ("plus=price_…,pro=price_…,store=price_…"). */
export function priceIdOf(env: Env, plan: string): string {
  for (const pair of (env.STRIPE_PRICE_IDS ?? '').split(',')) {
    const [name, id] = pair.split('=').map((s) => s.trim());
    if (name === plan && id) return id;
  }
  throw new ApiError('provider_unavailable', `no Stripe price is configured for the ${plan} plan`);
}

/** The plan a price id sells (the reverse of priceIdOf). */
export function planOfPrice(env: Env, priceId: string | undefined): string | null {
  if (!priceId) return null;
  for (const pair of (env.STRIPE_PRICE_IDS ?? '').split(',')) {
    const [name, id] = pair.split('=').map((s) => s.trim());
    if (id === priceId && name) return name;
  }
  return null;
}
