// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createDb, setDbForTesting, type CalicoDb } from '@/db/database';
import { useDataStore } from './data-store';

// Issue 8, "first ten minutes": an options action's result shows where the action was taken (its
// section: `place`) and is cleared as soon as another action starts.
let db: CalicoDb;
beforeEach(async () => {
  db = createDb(`data-store-${Math.random()}`);
  await db.open();
  setDbForTesting(db);
  setActivePinia(createPinia());
});
afterEach(async () => {
  setDbForTesting(undefined);
  db.close();
  await db.delete();
});

describe('options action messages', () => {
  it('are tied to the section whose action produced them', async () => {
    const data = useDataStore();
    await data.eraseSite('example.com');
    expect(data.message).toEqual({ place: 'delete', text: 'Deleted 0 highlights, 0 pages, 0 visits and 0 searches.' });
  });

  it('clear when another action starts, before it finishes', async () => {
    const data = useDataStore();
    await data.eraseSite('example.com');
    const running = data.eraseAll();
    expect(data.message).toBeNull();
    await running;
    expect(data.message?.place).toBe('delete');
    data.clearMessage(); // what saving the denylist does first
    expect(data.message).toBeNull();
  });
});
