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
    .prepare('SELECT id, user_id, name, expires_at, revoked_at, last_seen_at FROM devices WHERE token_hash = ?')
    .bind(await sha256Hex(token))
    .first<{ id: string; user_id: string; name: string; expires_at: number; revoked_at: number | null; last_seen_at: number | null }>();
  if (!row) throw new ApiError('unauthorized', 'invalid token');
  if (row.revoked_at !== null) throw new ApiError('unauthorized', 'this device was signed out');
  if (row.expires_at <= now) throw new ApiError('unauthorized', 'token expired: pair this device again');
  if (row.last_seen_at === null || now - row.last_seen_at > SEEN_GRANULARITY_MS) {
    await db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?').bind(now, row.id).run();
  }
  return { userId: row.user_id, deviceId: row.id, deviceName: row.name };
}

export async function createPairingCode(db: D1Database, auth: AuthContext, now: number, ttlSeconds: number): Promise<{ code: string; expiresAt: number }> {
  const code = newPairingCode();
  const expiresAt = now + ttlSeconds * 1000;
  await db.batch([
    // Old codes of this account are useless once a new one is shown; dropping them keeps the table small.
    db.prepare('DELETE FROM pairing_codes WHERE user_id = ? AND (expires_at <= ? OR used_at IS NOT NULL)').bind(auth.userId, now),
    db
      .prepare('INSERT INTO pairing_codes (code_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .bind(await sha256Hex(code), auth.userId, auth.deviceId, now, expiresAt),
  ]);
  return { code, expiresAt };
}

export async function joinWithCode(db: D1Database, code: string, deviceName: string, now: number, ttlDays: number): Promise<Credentials> {
  const hash = await sha256Hex(code);
  // Claim the code atomically: of two devices racing with the same code only one gets the row back.
  const claimed = await db
    .prepare('UPDATE pairing_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id')
    .bind(now, hash, now)
    .first<{ user_id: string }>();
  if (!claimed) {
    const row = await db.prepare('SELECT used_at, expires_at FROM pairing_codes WHERE code_hash = ?').bind(hash).first<{ used_at: number | null; expires_at: number }>();
    if (row?.used_at != null) throw new ApiError('conflict', 'this pairing code was already used');
    throw new ApiError('not_found', 'unknown or expired pairing code');
  }
  const { stmt, creds } = await addDevice(db, claimed.user_id, deviceName, now, ttlDays);
  await db.batch([stmt, db.prepare('UPDATE pairing_codes SET used_by = ? WHERE code_hash = ?').bind(creds.deviceId, hash)]);
  return creds;
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

export async function revokeDevice(db: D1Database, userId: string, deviceId: string, now: number): Promise<void> {
  const done = await db
    .prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL RETURNING id')
    .bind(now, deviceId, userId)
    .first();
  if (done) return;
  const exists = await db.prepare('SELECT revoked_at FROM devices WHERE id = ? AND user_id = ?').bind(deviceId, userId).first();
  // Another account's device id is "not found", exactly like an id that doesn't exist.
  throw exists ? new ApiError('conflict', 'device already revoked') : new ApiError('not_found', 'no such device');
}
