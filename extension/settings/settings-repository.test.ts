import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changesSince } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { CAPTURE_SETTINGS_KEY, InvalidDenylistError, getSettings, setDenylist, setPaused, validateDenylist } from './settings-repository';

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('settings');
});
afterEach(() => dropTestDb(db));

describe('settings repository', () => {
  it('reads defaults without writing anything', async () => {
    const s = await getSettings(db);
    expect(s.paused).toBe(false);
    expect(s.denylist).toContain('mail.google.com');
    expect(await db.settings.count()).toBe(0);
  });

  it('writes through the change log and keeps the other field', async () => {
    await setDenylist(['  a.com ', 'b.com', 'a.com', '', '# note'], db);
    await setPaused(true, db);
    expect(await getSettings(db)).toEqual({ paused: true, denylist: ['a.com', 'b.com', '# note'] });
    const log = await changesSince(0, 100, db);
    expect(log.map((c) => [c.table, c.key])).toEqual([
      ['settings', CAPTURE_SETTINGS_KEY],
      ['settings', CAPTURE_SETTINGS_KEY],
    ]);
  });

  it('rejects invalid patterns and saves nothing', async () => {
    await expect(setDenylist(['ok.com', 'ftp://nope.com'], db)).rejects.toBeInstanceOf(InvalidDenylistError);
    expect(await db.settings.count()).toBe(0);
    expect(validateDenylist(['*']).invalid).toHaveLength(1);
  });

  it('a damaged row never turns the default denylist off', async () => {
    await db.settings.put({ key: CAPTURE_SETTINGS_KEY, value: { paused: 'yes', denylist: ['x.com', 42] }, updatedAt: 1 });
    const s = await getSettings(db);
    expect(s.denylist).toContain('mail.google.com');
    expect(s.denylist).toContain('x.com');
  });
});
