import { describe, expect, test } from 'vitest';
import { readTable, waitForRows, type PageRow, type SettingRow, type VisitRow } from './support/database';
import { articlePage, loginPage } from './support/fixtures';
import { click, openSurface, typeInto } from './support/surfaces';
import { useSuite, type SuiteContext } from './support/suite';

/**
 * Absence can't be polled for, so each test ends by visiting a sentinel page that *is* captured and
 * waiting for it: once the capture of a later page is stored, the earlier page had every chance to be.
 */
async function visitSentinel(s: SuiteContext, name: string): Promise<void> {
  s.web.set(`/sentinel/${name}`, articlePage(`Sentinel ${name}`, `sentinel-${name}`));
  const tab = await s.eb.open(`${s.web.origin}/sentinel/${name}`);
  await waitForRows<PageRow>(s.eb, 'pages', (rows) => rows.some((p) => p.url === `${s.web.origin}/sentinel/${name}`), { timeout: 60_000 });
  await tab.close();
}

async function everythingStored(s: SuiteContext): Promise<string> {
  const tables = await Promise.all((['visits', 'pages', 'searches', 'highlights'] as const).map((t) => readTable(s.eb, t)));
  return JSON.stringify(tables);
}

// Issue 2: incognito windows, denylisted sites (set in the options page) and pages with password
// fields produce no records.
describe('privacy', () => {
  const s = useSuite({ tlsHosts: ['forum.tidewater.example', 'clinic.example.org'] });

  test('pages in an incognito (off-the-record) window are not recorded', async () => {
    const { eb, web } = s;
    web.set('/incognito-only', articlePage('Incognito gift ideas', 'incognitomarker'));
    const incognito = await eb.browser.createBrowserContext();
    const tab = await incognito.newPage();
    await tab.goto(`${web.origin}/incognito-only`, { waitUntil: 'load', timeout: 90_000 });
    await visitSentinel(s, 'after-private-window');
    await incognito.close();
    expect(await everythingStored(s)).not.toContain('incognito');
    expect(await everythingStored(s)).not.toContain('incognitomarker');
  });

  test('a site added to the denylist in the options page is not recorded', async () => {
    const { eb, tls } = s;
    const options = await openSurface(eb, 'options.html');
    await typeInto(options, 'denylist-input', 'clinic.example.org');
    await click(options, 'denylist-save');
    await waitForRows<SettingRow>(eb, 'settings', (rows) => JSON.stringify(rows).includes('clinic.example.org'));
    await options.close();

    tls.set('/results', articlePage('Your test results — Clinic', 'clinicmarker'));
    const tab = await eb.open('https://clinic.example.org/results');
    await visitSentinel(s, 'denylist');
    await tab.close();
    const stored = await everythingStored(s);
    expect(stored).not.toContain('clinic.example.org');
    expect(stored).not.toContain('clinicmarker');
  });

  test('a page with a password field is not recorded, and what is typed in it is never stored', async () => {
    const { eb, tls } = s;
    tls.set('/login', loginPage());
    const tab = await eb.open('https://forum.tidewater.example/login');
    await tab.type('#user', 'marina');
    await tab.type('#password', 'hunter2-crustacean');
    await visitSentinel(s, 'password');
    await tab.close();
    const stored = await everythingStored(s);
    expect(stored).not.toContain('hunter2-crustacean');
    expect(stored).not.toContain('tidewater.example');
    const visits = await readTable<VisitRow>(eb, 'visits');
    expect(visits.some((v) => v.url.includes('/sentinel/password'))).toBe(true);
  });
});
