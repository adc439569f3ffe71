import type { Context } from 'hono';

/** Cloudflare sets CF-Connecting-IP at the edge (clients can't forge it there); locally it's absent. */
export function clientIp(c: Context): string {
  return c.req.header('cf-connecting-ip') ?? 'local';
}
