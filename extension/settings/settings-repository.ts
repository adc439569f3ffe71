import { Settings } from '@shared/schemas/records';
import { getDb, type CalicoDb, type SettingRow } from '@/db/database';
import { putRecords, updateRecord } from '@/db/change-log';
import { DEFAULT_DENYLIST } from '@/capture/default-denylist';
import { parseDenylist } from '@/capture/denylist';

/**
 * Capture settings (pause, denylist), one row `capture` in the `settings` record table, written through
 * the change log like every other record so sync and other surfaces see each change. Extension pages
 * (popup, options) call these directly; the background reads them on every capture decision, so a
 * change applies to the next message without any notification.
 */

export const CAPTURE_SETTINGS_KEY = 'capture';

export function defaultSettings(): Settings {
  return { paused: false, denylist: [...DEFAULT_DENYLIST] };
}

/** The current settings; defaults until the user changes something. A damaged row reads as defaults
 * rather than switching capture on for sites the user had denied — so it keeps the denylist if it can. */
export async function getSettings(db: CalicoDb = getDb()): Promise<Settings> {
  const row = await db.settings.get(CAPTURE_SETTINGS_KEY);
  if (!row) return defaultSettings();
  const parsed = Settings.safeParse(row.value);
  if (parsed.success) return parsed.data;
  const value = row.value as Partial<Settings> | null;
  return {
    paused: value?.paused === true,
    denylist: [...DEFAULT_DENYLIST, ...(Array.isArray(value?.denylist) ? value.denylist.filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= 512) : [])],
  };
}

async function writeSettings(change: (current: Settings) => Settings, db: CalicoDb): Promise<Settings> {
  // Read-modify-write inside updateRecord's transaction so two surfaces toggling at once can't lose a write.
  const updated = await updateRecord<SettingRow & Record<string, unknown>>(
    'settings',
    CAPTURE_SETTINGS_KEY,
    (row) => {
      const current = Settings.safeParse(row.value);
      return { ...row, value: Settings.parse(change(current.success ? current.data : defaultSettings())), updatedAt: Date.now() };
    },
    db,
  );
  if (updated) return updated.value as Settings;
  const value = Settings.parse(change(defaultSettings()));
  await putRecords('settings', [{ key: CAPTURE_SETTINGS_KEY, value, updatedAt: Date.now() }], db);
  return value;
}

export function setPaused(paused: boolean, db: CalicoDb = getDb()): Promise<Settings> {
  return writeSettings((s) => ({ ...s, paused }), db);
}

export class InvalidDenylistError extends Error {
  readonly code = 'invalid-pattern';
  constructor(readonly invalid: { pattern: string; error: string }[]) {
    super(`Not valid denylist patterns: ${invalid.map((i) => i.pattern).join(', ')}`);
    this.name = 'InvalidDenylistError';
  }
}

/** Cleans a list as typed (one pattern per line): trims, drops blanks and duplicates, reports invalid
 * entries. Options can call it as the user types. */
export function validateDenylist(patterns: readonly string[]): { patterns: string[]; invalid: { pattern: string; error: string }[] } {
  const cleaned = [...new Set(patterns.map((p) => p.trim()).filter(Boolean))];
  const { invalid } = parseDenylist(cleaned);
  return { patterns: cleaned, invalid };
}

/** Replaces the denylist. Rejects with InvalidDenylistError (nothing saved) if any pattern is invalid. */
export function setDenylist(patterns: readonly string[], db: CalicoDb = getDb()): Promise<Settings> {
  const { patterns: cleaned, invalid } = validateDenylist(patterns);
  if (invalid.length) return Promise.reject(new InvalidDenylistError(invalid));
  return writeSettings((s) => ({ ...s, denylist: cleaned }), db);
}
