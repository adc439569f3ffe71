import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page, type Target } from 'puppeteer-core';
import { chromiumPath, extensionDir } from './paths';
import { waitFor } from './wait';

export interface LaunchOptions {
  /** Extra `--host-resolver-rules` entries, e.g. `MAP www.bing.com 127.0.0.1:4431`. */
  hostRules?: string[];
  /** Reuse a profile (to test that data survives a browser restart). Default: a fresh temp dir. */
  userDataDir?: string;
  /** Extra Chromium flags (e.g. `--enable-unsafe-webgpu` for the WebGPU suite). */
  args?: string[];
}

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  userDataDir: string;
  /** `chrome-extension://ID/<path>` */
  extensionUrl(path: string): string;
  /** Opens a new tab at the URL and waits for it to load. */
  open(url: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium, headless, with the built extension loaded and a fresh profile. Anything
 * that is not a local test server resolves to nothing (`MAP * ~NOTFOUND`), so a real page's trackers
 * and fonts fail at once instead of waiting on a network this machine doesn't have.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`no built extension at ${extensionDir}: run \`npx wxt build\` (or set EXT_DIR)`);
  }
  const ownProfile = !options.userDataDir;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'calico-e2e-profile-'));
  const hostRules = [...(options.hostRules ?? []), 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost'];
  const browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    userDataDir,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      '--no-sandbox',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${hostRules.join(', ')}`,
      '--window-size=1280,900',
      ...(options.args ?? []),
    ],
    defaultViewport: { width: 1280, height: 900 },
    protocolTimeout: 120_000,
    // Chromium's own default (30 s) to print its endpoint is too short on a loaded 2-core machine.
    timeout: 120_000,
  });

  const worker = await browser.waitForTarget(isExtensionWorker, { timeout: 60_000 });
  const extensionId = new URL(worker.url()).host;

  const extensionUrl = (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
  return {
    browser,
    extensionId,
    userDataDir,
    extensionUrl,
    async open(url: string) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load', timeout: 90_000 });
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      if (ownProfile) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

function isExtensionWorker(target: Target): boolean {
  return target.type() === 'service_worker' && target.url().startsWith('chrome-extension://');
}

/**
 * Stops the extension's service worker the way Chrome does when it idles out (CDP
 * `ServiceWorker.stopAllWorkers`), and waits until the running worker's target is destroyed. Content
 * scripts that are sending at that moment wake it again at once, so "no worker target" may never be
 * seen: what is waited for is the old one going away.
 */
export async function killServiceWorker(eb: ExtensionBrowser): Promise<void> {
  const running = eb.browser.targets().filter((t) => isExtensionWorker(t) && t.url().includes(eb.extensionId));
  let destroyed = 0;
  const onDestroyed = (target: Target) => {
    if (running.includes(target)) destroyed += 1;
  };
  eb.browser.on('targetdestroyed', onDestroyed);
  try {
    const page = await eb.browser.newPage();
    try {
      const cdp = await page.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    } finally {
      await page.close();
    }
    await waitFor(
      () => destroyed >= running.length || !running.some((t) => eb.browser.targets().includes(t)),
      Boolean,
      { timeout: 30_000, message: 'the running service worker to be stopped' },
    );
  } finally {
    eb.browser.off('targetdestroyed', onDestroyed);
  }
}

/** Whether the extension's service worker is running right now. */
export function serviceWorkerRunning(eb: ExtensionBrowser): boolean {
  return eb.browser.targets().some((t) => isExtensionWorker(t) && t.url().includes(eb.extensionId));
}
