import { resolve } from 'node:path';

/** The checkout's root (this file lives in e2e/support/). */
export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Reference material beside the checkout (`../shared`), read-only. */
export const sharedDir = resolve(repoRoot, '..', 'shared');

/** Real pages from Mozilla Readability's test corpus: `<name>/source.html`. */
export const webPagesDir = resolve(sharedDir, 'reference', 'web-pages');

/** The built extension under test. */
export const extensionDir = resolve(repoRoot, process.env.EXT_DIR ?? '.output/chrome-mv3');

export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
