import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readTable, waitForRows, type PageRow, type SettingRow, type VisitRow } from './support/database';
import { LITERALLY, articlePage } from './support/fixtures';
import { clickInOverlay, selectUntilOverlay } from './support/page-actions';
import { click, isChecked, openSurface, tid, typeInto } from './support/surfaces';
import { useSuite } from './support/suite';
import { waitFor } from './support/wait';

function isPaused(rows: SettingRow[]): boolean {
  return rows.some((r) => r.key === 'paused' && r.value === true) || JSON.stringify(rows).includes('"paused":true');
}

// Issue 2: the popup's pause switch stops capture; the options page deletes one site, deletes
// everything, and exports everything.
describe('popup and options', () => {
  const s = useSuite({ tlsHosts: ['www.tidepool.example', 'news.harbour.example'] });
  const downloads = mkdtempSync(join(tmpdir(), 'calico-e2e-downloads-'));
  afterAll(() => rmSync(downloads, { recursive: true, force: true }));

  test('the popup pause switch stops capture until it is switched back', async () => {
    const { eb, web } = s;
    web.set('/while-paused', articlePage('Paused reading', 'pausedmarker'));
    web.set('/after-resume', articlePage('Resumed reading', 'resumedmarker'));

    const popup = await openSurface(eb, 'popup.html');
    expect(await isChecked(popup, 'pause-toggle')).toBe(false);
    await click(popup, 'pause-toggle');
    await waitFor(() => isChecked(popup, 'pause-toggle'), Boolean, { message: 'the pause switch to show paused' });
    await waitForRows<SettingRow>(eb, 'settings', isPaused);

    // The tab's whole life (load, idle, reading) happens while paused; then it navigates on.
    const tab = await eb.open(`${web.origin}/while-paused`);
    await popup.bringToFront();
    await click(popup, 'pause-toggle');
    await waitFor(() => isChecked(popup, 'pause-toggle'), (v) => !v, { message: 'the pause switch to show running' });
    await waitForRows<SettingRow>(eb, 'settings', (rows) => !isPaused(rows));
    await tab.goto(`${web.origin}/after-resume`, { waitUntil: 'load', timeout: 90_000 });
    await waitForRows<PageRow>(eb, 'pages', (rows) => rows.some((p) => p.url === `${web.origin}/after-resume`), { timeout: 60_000 });

    const visits = await readTable<VisitRow>(eb, 'visits');
    const pages = await readTable<PageRow>(eb, 'pages');
    expect(visits.some((v) => v.url.includes('/while-paused'))).toBe(false);
    expect(JSON.stringify(pages)).not.toContain('pausedmarker');
    await Promise.all([tab.close(), popup.close()]);
  });

  test('export writes every record as JSON and as Markdown', async () => {
    const { eb, tls } = s;
    tls.set('/rockpools', articlePage('Rock pools at dawn', 'rockpoolmarker'));
    tls.set('/2015/on-behalf-of-literally', LITERALLY.source());
    const a = await eb.open('https://www.tidepool.example/rockpools');
    const b = await eb.open('https://news.harbour.example/2015/on-behalf-of-literally');
    await selectUntilOverlay(b, LITERALLY.passage);
    await clickInOverlay(b, 'overlay-color-blue');
    await waitForRows(eb, 'highlights', (r) => r.length === 1);
    await waitForRows<PageRow>(eb, 'pages', (r) => r.some((p) => p.url.includes('tidepool')) && r.some((p) => p.title.includes('Literally')));
    await Promise.all([a.close(), b.close()]);

    const options = await openSurface(eb, 'options.html');
    const cdp = await options.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });

    const downloaded = (ext: string) => readdirSync(downloads).filter((f) => f.endsWith(ext));
    await click(options, 'export-json');
    const [jsonFile] = await waitFor(() => downloaded('.json'), (f) => f.length === 1, { message: 'the JSON export file' });
    const json = await waitFor(
      () => JSON.parse(readFileSync(join(downloads, jsonFile!), 'utf8')) as unknown,
      Boolean,
      { message: 'the JSON export to be complete' },
    );
    const exported = JSON.stringify(json);
    expect(exported).toContain('rockpoolmarker');
    expect(exported).toContain(LITERALLY.passage);
    expect(exported).toContain('www.tidepool.example');

    await click(options, 'export-markdown');
    const [mdFile] = await waitFor(() => downloaded('.md'), (f) => f.length === 1, { message: 'the Markdown export file' });
    const md = await waitFor(() => readFileSync(join(downloads, mdFile!), 'utf8'), (t) => t.includes('Literally'), {
      message: 'the Markdown export to be complete',
    });
    expect(md).toContain(LITERALLY.passage);
    await cdp.detach();
    await options.close();
  });

  test('deleting a site removes only that site; deleting everything removes every record', async () => {
    const { eb } = s;
    const options = await openSurface(eb, 'options.html');
    options.on('dialog', (dialog) => void dialog.accept());

    await typeInto(options, 'delete-site-input', 'news.harbour.example');
    await click(options, 'delete-site-button');
    // A second step, when the page asks for one, is confirmed like a person would.
    const confirm = await options.$(tid('delete-confirm'));
    if (confirm && (await confirm.isVisible())) await confirm.click();
    await waitForRows<PageRow>(eb, 'pages', (r) => !r.some((p) => p.url.includes('news.harbour.example')));
    await waitForRows(eb, 'highlights', (r) => r.length === 0);
    const left = JSON.stringify(await readTable(eb, 'visits')) + JSON.stringify(await readTable(eb, 'pages'));
    expect(left).not.toContain('news.harbour.example');
    expect(left).toContain('www.tidepool.example');

    await click(options, 'delete-all-button');
    await click(options, 'delete-confirm');
    for (const table of ['visits', 'pages', 'searches', 'highlights'] as const) {
      await waitForRows(eb, table, (r) => r.length === 0, { message: `${table} to be empty after delete everything` });
    }
    await options.close();
  });
});
