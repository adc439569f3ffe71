import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type ExtensionBrowser } from './browser';
import { readTable } from './database';
import { startServer, type TestServer } from './server';

export interface SuiteContext {
  eb: ExtensionBrowser;
  /** Plain HTTP server at http://127.0.0.1:PORT */
  web: TestServer;
  /** HTTPS server that `tlsHosts` resolve to (only with `tlsHosts`). */
  tls: TestServer;
}

/**
 * One browser (fresh profile) and the local servers for a whole test file, torn down afterwards.
 * `tlsHosts` are real host names (www.bing.com, …) the browser resolves to the local HTTPS server.
 */
export function useSuite({ tlsHosts = [] as string[] } = {}): SuiteContext {
  const ctx = {} as SuiteContext;
  beforeAll(async () => {
    ctx.web = await startServer();
    if (tlsHosts.length) ctx.tls = await startServer({ tls: true });
    ctx.eb = await launchBrowser({ hostRules: tlsHosts.map((h) => `MAP ${h} 127.0.0.1:${ctx.tls.port}`) });
    // Open the database reader tab now: opened later it would take focus from the page under test
    // (and a page out of focus accrues no active time).
    await readTable(ctx.eb, 'settings');
  });
  afterAll(async () => {
    await ctx.eb?.close();
    await ctx.web?.close();
    await ctx.tls?.close();
  });
  return ctx;
}
