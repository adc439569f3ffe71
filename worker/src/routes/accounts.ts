import { Hono } from 'hono';
import { CreateAccountRequest, JoinRequest } from '../../../shared/schemas/cloud';
import { createAccount, createPairingCode, joinWithCode, listDevices, revokeDevice } from '../auth/accounts';
import { intVar } from '../env';
import type { AppEnv } from '../http/context';
import { enforce } from '../http/rate-limit';
import { readJson } from '../http/validate';
import { clientIp } from '../http/client-ip';
import { sha256Hex } from '../auth/crypto';
import { ensureRoom } from '../billing/entitlements';
import { gaugesOf } from './billing';

const DEFAULT_TOKEN_TTL_DAYS = 365;

/** Routes that need no token: making an account and joining one with a pairing code. */
export const publicAccountRoutes = new Hono<AppEnv>()
  .post('/accounts', async (c) => {
    const body = await readJson(c, CreateAccountRequest);
    const creds = await createAccount(c.env.DB, body.deviceName, Date.now(), intVar(c.env.TOKEN_TTL_DAYS, DEFAULT_TOKEN_TTL_DAYS));
    return c.json(creds, 201);
  })
  .post('/pairing/join', async (c) => {
    // Codes have 40 bits and live minutes; a tight per-IP limit on guesses makes brute force hopeless.
    await enforce(c.env.DB, `join:${clientIp(c)}`, intVar(c.env.RATE_LIMIT_JOIN_PER_MIN, 10), 60_000, Date.now());
    const body = await readJson(c, JoinRequest);
    // A new device counts against the plan of the account the code belongs to.
    const owner = await c.env.DB.prepare('SELECT user_id FROM pairing_codes WHERE code_hash = ? AND used_at IS NULL').bind(await sha256Hex(body.code)).first<{ user_id: string }>();
    if (owner) await ensureRoom(c.env, owner.user_id, 'devices', await gaugesOf(c.env, owner.user_id).devices(), 1);
    const creds = await joinWithCode(c.env.DB, body.code, body.deviceName, Date.now(), intVar(c.env.TOKEN_TTL_DAYS, DEFAULT_TOKEN_TTL_DAYS));
    return c.json(creds, 201);
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
    return c.json({
      devices: rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        revokedAt: r.revoked_at,
        expiresAt: r.expires_at,
        current: r.id === auth.deviceId,
      })),
    });
  })
  .delete('/devices/:id', async (c) => {
    await revokeDevice(c.env.DB, c.get('auth').userId, c.req.param('id'), Date.now());
    return c.json({ revoked: true });
  });
