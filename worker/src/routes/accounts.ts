import { Hono } from 'hono';
import { CreateAccountRequest, JoinRequest } from '../../../shared/schemas/cloud';
import { createAccount, createPairingCode, JoinRefused, joinWithCode, listDevices, mayRevoke, revokeDevice } from '../auth/accounts';
import { intVar } from '../env';
import type { AppEnv } from '../http/context';
import { enforce, hit, peek, tooMany } from '../http/rate-limit';
import { readJson } from '../http/validate';
import { clientIp } from '../http/client-ip';
import { sha256Hex } from '../auth/crypto';
import { ensureRoom } from '../billing/entitlements';
import { gaugesOf } from './billing';

const DEFAULT_TOKEN_TTL_DAYS = 365;
const JOIN_FAILURES_BUCKET = 'join-failures:all';

/** Routes that need no token: making an account and joining one with a pairing code. */
export const publicAccountRoutes = new Hono<AppEnv>()
  .post('/accounts', async (c) => {
    const body = await readJson(c, CreateAccountRequest);
    const creds = await createAccount(c.env.DB, body.deviceName, Date.now(), intVar(c.env.TOKEN_TTL_DAYS, DEFAULT_TOKEN_TTL_DAYS));
    return c.json(creds, 201);
  })
  .post('/pairing/join', async (c) => {
    // Codes have 40 bits and live minutes. Two limits on guessing: per client, and — because a client
    // can come from many addresses — on wrong guesses from everyone together, checked before the code
    // is looked at, so past it not even the right code is tried (a flood can delay pairing for a
    // minute; it can't take an account). Right codes never count.
    const now = Date.now();
    await enforce(c.env.DB, `join:${clientIp(c)}`, intVar(c.env.RATE_LIMIT_JOIN_PER_MIN, 10), 60_000, now);
    const failureLimit = intVar(c.env.RATE_LIMIT_JOIN_FAILURES_PER_MIN, 60);
    if (failureLimit > 0) {
      const failures = await peek(c.env.DB, JOIN_FAILURES_BUCKET, 60_000, now);
      if (failures.count >= failureLimit) throw tooMany(failures.resetAt, now, 'too many wrong pairing codes were tried just now');
    }
    const body = await readJson(c, JoinRequest);
    // A new device counts against the plan of the account the code belongs to.
    // Only a code that would work counts: an unknown, used or dead code gets its own answer below.
    const owner = await c.env.DB
      .prepare(
        `SELECT p.user_id FROM pairing_codes AS p WHERE p.code_hash = ?1 AND p.used_at IS NULL AND p.expires_at > ?2
           AND EXISTS (SELECT 1 FROM devices AS d WHERE d.id = p.created_by AND d.revoked_at IS NULL AND d.expires_at > ?2)`,
      )
      .bind(await sha256Hex(body.code), now)
      .first<{ user_id: string }>();
    if (owner) await ensureRoom(c.env, owner.user_id, 'devices', await gaugesOf(c.env, owner.user_id).devices(), 1);
    try {
      const creds = await joinWithCode(c.env.DB, body.code, body.deviceName, now, intVar(c.env.TOKEN_TTL_DAYS, DEFAULT_TOKEN_TTL_DAYS));
      return c.json(creds, 201);
    } catch (error) {
      if (!(error instanceof JoinRefused)) throw error;
      if (error.guess) await hit(c.env.DB, JOIN_FAILURES_BUCKET, 60_000, now);
      throw error.apiError;
    }
  });

/** Routes of a signed-in device. */
export const accountRoutes = new Hono<AppEnv>()
  .get('/me', (c) => {
    const auth = c.get('auth');
    return c.json({ userId: auth.userId, deviceId: auth.deviceId, deviceName: auth.deviceName });
  })
  .post('/pairing', async (c) => {
    const code = await createPairingCode(c.env.DB, c.get('auth'), Date.now(), intVar(c.env.PAIRING_TTL_SECONDS, 600));
    return c.json(code, 201);
  })
  .get('/devices', async (c) => {
    const auth = c.get('auth');
    const rows = await listDevices(c.env.DB, auth.userId);
    const me = { id: auth.deviceId, created_at: auth.deviceCreatedAt };
    return c.json({
      devices: rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        revokedAt: r.revoked_at,
        expiresAt: r.expires_at,
        current: r.id === auth.deviceId,
        canRevoke: r.revoked_at === null && mayRevoke(me, r),
      })),
    });
  })
  .delete('/devices/:id', async (c) => {
    await revokeDevice(c.env.DB, c.get('auth'), c.req.param('id'), Date.now());
    return c.json({ revoked: true });
  });
