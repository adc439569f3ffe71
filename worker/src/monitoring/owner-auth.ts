import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';

/**
 * The owner is whoever holds the OWNER_TOKEN secret (`wrangler secret put OWNER_TOKEN`; locally
 * .dev.vars or `--var`). It is not an account: the deployment's operator may have no account at all,
 * and no device token — however it was obtained — opens the dashboard. Accepted as
 * `Authorization: Bearer <token>` (scripts) or as the password of HTTP Basic auth (any user name), so a
 * browser asks for it once and sends it with every dashboard request; HTTPS in production protects it.
 * Without the secret (or with one under 16 characters) the dashboard does not exist (404).
 */
const MIN_TOKEN_CHARS = 16;

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

/** Compared as SHA-256 digests in constant time: equal lengths, no early exit on the first difference. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

function presented(header: string): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  try {
    const decoded = atob(basic[1]!);
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  } catch {
    return null;
  }
}

export const ownerOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.OWNER_TOKEN ?? '';
  if (expected.length < MIN_TOKEN_CHARS) throw new ApiError('not_found', 'the owner dashboard is off: set the OWNER_TOKEN secret (16+ characters)');
  const given = presented(c.req.header('authorization') ?? '');
  if (!given || !(await sameSecret(given, expected))) {
    throw new ApiError('unauthorized', 'owner token required', undefined, { 'www-authenticate': 'Basic realm="CalicoLobster owner", charset="UTF-8"' });
  }
  await next();
};
