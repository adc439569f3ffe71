import { describe, expect, test } from 'vitest';
import { readTable, waitForRows, type PageRow, type SettingRow, type VisitRow } from './support/database';
import { articlePage, loginPage } from './support/fixtures';
import { click, openPopupOver, openSurface, tid, typeInto } from './support/surfaces';
import { realPage } from './support/server';
import { waitFor } from './support/wait';
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

  test('a sign-in page is not recorded, what is typed in it is never stored, and the popup says why', async () => {
    const { eb, tls } = s;
    tls.set('/login', loginPage());
    const tab = await eb.open('https://forum.tidewater.example/login');
    await tab.type('#user', 'marina');
    await tab.type('#password', 'hunter2-crustacean');
    const popup = await openPopupOver(eb, tab);
    const status = await waitFor(
      () => popup.$eval(tid('capture-status'), (el) => ({ capturing: el.getAttribute('data-capturing'), reason: el.getAttribute('data-reason'), text: el.textContent ?? '' })).catch(() => null),
      (v) => v !== null && v.capturing === 'false',
      { timeout: 30_000, message: 'the popup to say the sign-in page is not captured' },
    );
    expect(status!.reason).toMatch(/^sign-in-(url|form)$/);
    expect(status!.text).toContain('sign-in page');
    await popup.close();
    await visitSentinel(s, 'password');
    await tab.close();
    const stored = await everythingStored(s);
    expect(stored).not.toContain('hunter2-crustacean');
    expect(stored).not.toContain('tidewater.example');
    const visits = await readTable<VisitRow>(eb, 'visits');
    expect(visits.some((v) => v.url.includes('/sentinel/password'))).toBe(true);
  });

  test('a sign-in form as a page’s main content is skipped at any URL; an article with a hidden login modal (nytimes-1) is captured', async () => {
    const { eb, web } = s;
    // The same sign-in page at a URL that doesn't say "login": the shown form is what gives it away.
    web.set('/welcome-back', loginPage());
    const signIn = await eb.open(`${web.origin}/welcome-back`);
    // A real article whose markup carries login and register modals with password fields, hidden.
    web.set('/2011/article-with-login-modal', realPage('nytimes-1'));
    const article = await eb.open(`${web.origin}/2011/article-with-login-modal`);
    const pages = await waitForRows<PageRow>(eb, 'pages', (rows) => rows.some((p) => p.url.endsWith('/2011/article-with-login-modal')), { timeout: 90_000 });
    expect(pages.find((p) => p.url.endsWith('/2011/article-with-login-modal'))!.text.length).toBeGreaterThan(1000);
    const popup = await openPopupOver(eb, article);
    await waitFor(() => popup.$eval(tid('capture-status'), (el) => el.getAttribute('data-capturing')).catch(() => null), (v) => v === 'true', {
      timeout: 30_000,
      message: 'the popup to say the article is captured',
    });
    await popup.close();
    await visitSentinel(s, 'sign-in-form');
    expect(await everythingStored(s)).not.toContain('/welcome-back');
    await signIn.close();
    await article.close();
  });
});
