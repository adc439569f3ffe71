import { ApiError } from '../http/errors';
import { newDeviceId, newPairingCode, newToken, newUserId, sha256Hex } from './crypto';

/**
 * The account directory in D1: users, their devices (hashed tokens) and pairing codes. Every query
 * that reads or changes a device names the user too, so an id from another account simply isn't found.
 */

export interface AuthContext {
  userId: string;
  deviceId: string;
  deviceName: string;
  /** When this device joined: seniority decides which devices it may sign out (revokeDevice). */
  deviceCreatedAt: number;
}

export interface Credentials {
  userId: string;
  deviceId: string;
  token: string;
  expiresAt: number;
}

const DAY = 86_400_000;
/** last_seen_at is refreshed at most this often, so authentication isn't a write on every request. */
const SEEN_GRANULARITY_MS = 5 * 60_000;
/** Joins that found a code but failed (its name was taken) before the code dies. */
export const MAX_CODE_ATTEMPTS = 5;

/** The partial unique index of migration 0002 (one name per account among signed-in devices). */
function isNameClash(error: unknown): boolean {
  return /UNIQUE constraint failed: devices\.user_id, devices\.name/.test(String((error as Error)?.message ?? error));
}

function nameTaken(name: string): ApiError {
  return new ApiError('conflict', `this account already has a device named "${name}": choose another name`, [{ path: 'deviceName', message: 'already used by another device of this account' }]);
}

async function addDevice(db: D1Database, userId: string, name: string, now: number, ttlDays: number): Promise<{ stmt: D1PreparedStatement; creds: Credentials }> {
  const token = newToken();
  const deviceId = newDeviceId();
  const expiresAt = now + ttlDays * DAY;
  const stmt = db
    .prepare('INSERT INTO devices (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(deviceId, userId, name, await sha256Hex(token), now, expiresAt);
  return { stmt, creds: { userId, deviceId, token, expiresAt } };
}

export async function createAccount(db: D1Database, deviceName: string, now: number, ttlDays: number): Promise<Credentials> {
  const userId = newUserId();
  const { stmt, creds } = await addDevice(db, userId, deviceName, now, ttlDays);
  await db.batch([db.prepare('INSERT INTO users (id, created_at) VALUES (?, ?)').bind(userId, now), stmt]);
  return creds;
}

export async function authenticate(db: D1Database, token: string, now: number): Promise<AuthContext> {
  // Shape check first: junk never reaches the database.
  if (!/^clt_[A-Za-z0-9_-]{43}$/.test(token)) throw new ApiError('unauthorized', 'invalid token');
  const row = await db
    .prepare('SELECT id, user_id, name, created_at, expires_at, revoked_at, last_seen_at FROM devices WHERE token_hash = ?')
    .bind(await sha256Hex(token))
    .first<{ id: string; user_id: string; name: string; created_at: number; expires_at: number; revoked_at: number | null; last_seen_at: number | null }>();
  if (!row) throw new ApiError('unauthorized', 'invalid token');
  if (row.revoked_at !== null) throw new ApiError('unauthorized', 'this device was signed out');
  if (row.expires_at <= now) throw new ApiError('unauthorized', 'token expired: pair this device again');
  if (row.last_seen_at === null || now - row.last_seen_at > SEEN_GRANULARITY_MS) {
    await db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?').bind(now, row.id).run();
  }
  return { userId: row.user_id, deviceId: row.id, deviceName: row.name, deviceCreatedAt: row.created_at };
}

export async function createPairingCode(db: D1Database, auth: AuthContext, now: number, ttlSeconds: number): Promise<{ code: string; expiresAt: number }> {
  const code = newPairingCode();
  const expiresAt = now + ttlSeconds * 1000;
  await db.batch([
    // Showing a new code retires every older one of the account, used or not: only the code on the
    // screen now can join, so a code photographed earlier is worth nothing.
    db.prepare('DELETE FROM pairing_codes WHERE user_id = ?').bind(auth.userId),
    db
      .prepare('INSERT INTO pairing_codes (code_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .bind(await sha256Hex(code), auth.userId, auth.deviceId, now, expiresAt),
  ]);
  return { code, expiresAt };
}

export type JoinFailure = 'unknown' | 'used' | 'expired' | 'exhausted' | 'creator_gone' | 'name_taken';

/** A join that did not happen, with why; `guess` says whether it counts as a guess at a code. */
export class JoinRefused extends Error {
  constructor(
    readonly reason: JoinFailure,
    readonly apiError: ApiError,
  ) {
    super(apiError.message);
  }
  get guess(): boolean {
    return this.reason === 'unknown' || this.reason === 'expired';
  }
}

/**
 * Adds a device with a pairing code, in one D1 batch (a transaction): the device row is inserted only
 * from a code that is unused, unexpired, not tried too often, and whose creator is still signed in,
 * and the code is marked used in the same step, so of two devices racing with one code only one joins.
 */
export async function joinWithCode(db: D1Database, code: string, deviceName: string, now: number, ttlDays: number): Promise<Credentials> {
  const hash = await sha256Hex(code);
  const token = newToken();
  const deviceId = newDeviceId();
  const expiresAt = now + ttlDays * DAY;
  let inserted: D1Result | undefined;
  try {
    [, inserted] = await db.batch([
      // An expired device can't sign in again; it gives its name up to the one joining now.
      db
        .prepare(
          `UPDATE devices SET revoked_at = ?1 WHERE user_id = (SELECT user_id FROM pairing_codes WHERE code_hash = ?2)
             AND name = ?3 COLLATE NOCASE AND revoked_at IS NULL AND expires_at <= ?1`,
        )
        .bind(now, hash, deviceName),
      db
        .prepare(
          `INSERT INTO devices (id, user_id, name, token_hash, created_at, expires_at)
           SELECT ?1, p.user_id, ?2, ?3, ?4, ?5 FROM pairing_codes AS p
            WHERE p.code_hash = ?6 AND p.used_at IS NULL AND p.expires_at > ?4 AND p.attempts < ?7
              AND EXISTS (SELECT 1 FROM devices AS d WHERE d.id = p.created_by AND d.user_id = p.user_id AND d.revoked_at IS NULL AND d.expires_at > ?4)`,
        )
        .bind(deviceId, deviceName, await sha256Hex(token), now, expiresAt, hash, MAX_CODE_ATTEMPTS),
      db.prepare('UPDATE pairing_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL AND EXISTS (SELECT 1 FROM devices WHERE id = ?)').bind(now, deviceId, hash, deviceId),
    ]);
  } catch (error) {
    if (!isNameClash(error)) throw error;
    await db.prepare('UPDATE pairing_codes SET attempts = attempts + 1 WHERE code_hash = ?').bind(hash).run();
    throw new JoinRefused('name_taken', nameTaken(deviceName));
  }
  if (inserted?.meta.changes) {
    const row = await db.prepare('SELECT user_id FROM devices WHERE id = ?').bind(deviceId).first<{ user_id: string }>();
    return { userId: row!.user_id, deviceId, token, expiresAt };
  }
  const row = await db
    .prepare(
      `SELECT p.used_at, p.expires_at, p.attempts,
              EXISTS (SELECT 1 FROM devices AS d WHERE d.id = p.created_by AND d.revoked_at IS NULL AND d.expires_at > ?2) AS creator_ok
         FROM pairing_codes AS p WHERE p.code_hash = ?1`,
    )
    .bind(hash, now)
    .first<{ used_at: number | null; expires_at: number; attempts: number; creator_ok: number }>();
  if (!row) throw new JoinRefused('unknown', new ApiError('not_found', 'unknown or expired pairing code'));
  if (row.used_at !== null) throw new JoinRefused('used', new ApiError('conflict', 'this pairing code was already used'));
  if (row.expires_at <= now) throw new JoinRefused('expired', new ApiError('not_found', 'unknown or expired pairing code'));
  if (row.attempts >= MAX_CODE_ATTEMPTS) throw new JoinRefused('exhausted', new ApiError('not_found', 'this pairing code was tried too many times: show a new one'));
  throw new JoinRefused('creator_gone', new ApiError('not_found', 'the device that showed this code was signed out: show a new code on a signed-in device'));
}

export interface DeviceRow {
  id: string;
  name: string;
  created_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
  expires_at: number;
}

export async function listDevices(db: D1Database, userId: string): Promise<DeviceRow[]> {
  const { results } = await db
    .prepare('SELECT id, name, created_at, last_seen_at, revoked_at, expires_at FROM devices WHERE user_id = ? ORDER BY created_at, id')
    .bind(userId)
    .all<DeviceRow>();
  return results;
}

/** (created_at, id) order: the device paired earlier is the senior one; ids break same-millisecond ties. */
function isSenior(a: { created_at: number; id: string }, b: { created_at: number; id: string }): boolean {
  return a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);
}

/** Whether the device `by` may sign out `target`: itself, or any device paired after it. */
export function mayRevoke(by: { created_at: number; id: string }, target: { created_at: number; id: string }): boolean {
  return by.id === target.id || isSenior(by, target);
}

/**
 * Signs a device out. The rule (worker/README.md): a device may sign out itself and any device paired
 * after it, never an older one, so a stolen newer device can't lock the person's older devices out,
 * and the first device of the account can always clean up. The device's unused pairing codes die with it.
 */
export async function revokeDevice(db: D1Database, auth: AuthContext, deviceId: string, now: number): Promise<void> {
  // Another account's device id is "not found", exactly like an id that doesn't exist.
  const target = await db
    .prepare('SELECT id, created_at, revoked_at FROM devices WHERE id = ? AND user_id = ?')
    .bind(deviceId, auth.userId)
    .first<{ id: string; created_at: number; revoked_at: number | null }>();
  if (!target) throw new ApiError('not_found', 'no such device');
  if (target.revoked_at !== null) throw new ApiError('conflict', 'device already revoked');
  if (!mayRevoke({ id: auth.deviceId, created_at: auth.deviceCreatedAt }, target)) {
    throw new ApiError('forbidden', 'a device can sign out only itself and devices paired after it: sign this one out from an older device');
  }
  await db.batch([
    db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL').bind(now, deviceId, auth.userId),
    db.prepare('DELETE FROM pairing_codes WHERE created_by = ? AND used_at IS NULL').bind(deviceId),
  ]);
}
