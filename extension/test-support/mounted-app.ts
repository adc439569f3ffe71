import { afterEach, beforeEach } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import { createPinia } from 'pinia';
import { setDbForTesting, type CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from './test-db';

/**
 * For a DOM test (happy-dom) of a Vue component that reads the extension's database: each test gets a
 * throwaway database as the app's, and the mounted app is unmounted and the page emptied after it.
 * Call at the top of a test file; `mount` renders a component with its props and a Pinia.
 */
export function useMountedApp(): { db: () => CalicoDb; mount: (component: unknown, props?: Record<string, unknown>) => Promise<HTMLElement> } {
  let app: App | undefined;
  let db: CalicoDb | undefined;
  beforeEach(async () => {
    db = await openTestDb();
    setDbForTesting(db);
  });
  afterEach(async () => {
    app?.unmount();
    app = undefined;
    document.body.innerHTML = '';
    setDbForTesting(undefined);
    if (db) await dropTestDb(db);
    db = undefined;
  });
  return {
    db: () => {
      if (!db) throw new Error('the test database opens in beforeEach');
      return db;
    },
    mount: async (component, props = {}) => {
      const root = document.createElement('div');
      document.body.append(root);
      app = createApp({ render: () => h(component as never, props) });
      app.use(createPinia());
      app.mount(root);
      await nextTick();
      return root;
    },
  };
}
