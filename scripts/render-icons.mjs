// Renders the toolbar/manifest icons (extension/public/icon/<size>.png) from the logo's SVG in
// extension/ui/LogoMark.vue, with the Chromium the e2e suite uses. Run once after changing the logo:
//   node scripts/render-icons.mjs
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer from 'puppeteer-core';

const ROOT = resolve(import.meta.dirname, '..');
const vue = readFileSync(resolve(ROOT, 'extension/ui/LogoMark.vue'), 'utf8');
const svg = vue.match(/<svg[\s\S]*?<\/svg>/)?.[0];
if (!svg) throw new Error('no <svg> in LogoMark.vue');
const SIZES = [16, 32, 48, 128];
const out = resolve(ROOT, 'extension/public/icon');
mkdirSync(out, { recursive: true });

const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const size of SIZES) {
    await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 });
    // The class and aria attributes are the component's; here the SVG just fills the square.
    const sized = svg.replace(/\sclass="[^"]*"/, '').replace('<svg', `<svg width="${size}" height="${size}"`);
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    writeFileSync(resolve(out, `${size}.png`), png);
    console.log(`icon/${size}.png`);
  }
} finally {
  await browser.close();
}
