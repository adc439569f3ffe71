import type { Context } from 'hono';
import type { AppEnv } from './context';

/**
 * Who a request is from, for the per-client rate limits. On Cloudflare the edge sets CF-Connecting-IP
 * and overwrites whatever a client sent, so there it names the client. Anywhere else (`wrangler dev`,
 * Miniflare) the header is whatever the caller wrote — Miniflare fills it in from the socket only when
 * it is absent — and rotating it would give every request a fresh limit. So it is believed only when
 * the deployment says it runs behind Cloudflare (TRUST_CF_CONNECTING_IP=1, see worker/README.md);
 * otherwise every caller shares one bucket, which locally is right anyway: they are all this machine.
 */
export function clientIp(c: Context<AppEnv>): string {
  if (c.env.TRUST_CF_CONNECTING_IP === '1') return c.req.header('cf-connecting-ip') ?? 'unknown';
  return 'local';
}
