import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { changesSince } from '@/db/change-log';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { ConnectorHttp, retryAfterMs } from './connector-http';
import { driveConnector } from './google-drive';
import { authUrl, googleAccessToken, tokenFromRedirect } from './google-auth';
import { runConnector } from './run-connector';
import { wikipediaConnector } from './wikipedia';
import { startDriveDouble, type DriveDouble } from './test-support/drive-test-double';
import { startMediaWikiDouble, type MediaWikiDouble } from './test-support/mediawiki-test-double';

const PROSE = (topic: string) =>
  `${topic} is described in this article. It has a long history and many parts, each studied by people who wrote about them at length. ` +
  `The first section covers its origins, the second its structure, and the third how it changed over the last two centuries.`;

let db: CalicoDb;
let sleeps: number[];
const http = (extra: ConstructorParameters<typeof ConnectorHttp>[0] = {}) => new ConnectorHttp({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...extra });
beforeEach(async () => {
  db = await openTestDb('connectors');
  sleeps = [];
});
afterEach(() => dropTestDb(db));

describe('Wikipedia connector (MediaWiki API test double)', () => {
  let wiki: MediaWikiDouble;
  beforeEach(async () => {
    wiki = await startMediaWikiDouble([
      { pageid: 1, title: 'Lobster', text: PROSE('The lobster'), revid: 100, timestamp: '2025-01-01T00:00:00Z', categories: ['Decapods'] },
      { pageid: 2, title: 'Crab', text: PROSE('The crab'), revid: 200, timestamp: '2025-01-02T00:00:00Z', categories: ['Decapods'] },
      { pageid: 3, title: 'Shrimp', text: PROSE('The shrimp'), revid: 300, timestamp: '2025-01-03T00:00:00Z', categories: ['Decapods'] },
      { pageid: 4, title: 'Tide', text: PROSE('The tide'), revid: 400, timestamp: '2025-01-04T00:00:00Z' },
    ]);
  });
  afterEach(() => wiki.close());
  const config = () => ({ wiki: wiki.origin, titles: ['Tide', 'No such page'], category: 'Decapods' });
  const extractsAsked = () => wiki.requests.filter((u) => u.searchParams.get('prop')?.includes('extracts')).map((u) => u.searchParams.get('pageids'));

  it('imports articles by title and by category (following continue), with text, date and signals', async () => {
    const report = await runConnector(wikipediaConnector(http()), config(), { source: 'en', db });
    expect(report).toMatchObject({ listed: 4, upserted: 4, unchanged: 0, skipped: [] });
    const page = await db.pages.get('https://en.wikipedia.org/wiki/Lobster');
    expect(page).toMatchObject({ title: 'Lobster', siteName: 'Wikipedia', lang: 'en', capturedAt: Date.parse('2025-01-01T00:00:00Z') });
    expect(page!.text).toContain('The lobster is described');
    expect(page!.signals).toMatchObject({ lang: 'eng', spam: false });
    // Category pages came two at a time through gcmcontinue.
    expect(wiki.requests.filter((u) => u.searchParams.get('generator') === 'categorymembers').map((u) => u.searchParams.get('gcmcontinue'))).toEqual([null, '2']);
    expect((await changesSince(0, 100, db)).filter((c) => c.table === 'pages')).toHaveLength(4);
  });

  it('is incremental: a second run fetches only the article whose revision moved', async () => {
    await runConnector(wikipediaConnector(http()), config(), { source: 'en', db });
    const before = extractsAsked().length;
    const quiet = await runConnector(wikipediaConnector(http()), config(), { source: 'en', db });
    expect(quiet).toMatchObject({ listed: 0, upserted: 0 });
    expect(extractsAsked()).toHaveLength(before);

    wiki.articles[1]!.revid = 201;
    wiki.articles[1]!.text = PROSE('The crab, now edited,');
    const edited = await runConnector(wikipediaConnector(http()), config(), { source: 'en', db });
    expect(edited).toMatchObject({ listed: 1, upserted: 1 });
    expect(extractsAsked().slice(before)).toEqual(['2']);
    expect((await db.pages.get('https://en.wikipedia.org/wiki/Crab'))!.text).toContain('now edited');
  });

  it('waits as long as Retry-After says when the API answers 429, then carries on', async () => {
    wiki.throttle(2, '7');
    const report = await runConnector(wikipediaConnector(http()), config(), { source: 'en', db });
    expect(report.upserted).toBe(4);
    expect(sleeps.filter((ms) => ms === 7000)).toHaveLength(2);
  });

  it('gives up with the status after its retries, and the saved cursor lets the next run resume', async () => {
    wiki.throttle(100, '1');
    await expect(runConnector(wikipediaConnector(http({ retries: 2 })), config(), { source: 'en', db })).rejects.toThrow(/^429 from 127\.0\.0\.1/);
    wiki.throttle(0, '1');
    expect((await runConnector(wikipediaConnector(http()), config(), { source: 'en', db })).upserted).toBe(4);
  });
});

describe('Google Drive connector (Drive v3 test double)', () => {
  const TOKEN = 'ya29.test-token';
  let drive: DriveDouble;
  beforeEach(async () => {
    drive = await startDriveDouble(
      [
        { id: 'doc1', name: 'Design notes', mimeType: 'application/vnd.google-apps.document', text: '\uFEFF' + PROSE('The design'), modifiedTime: '2025-02-01T10:00:00.000Z' },
        { id: 'txt1', name: 'todo.md', mimeType: 'text/markdown', text: PROSE('The plan'), modifiedTime: '2025-02-02T10:00:00.000Z' },
        { id: 'doc2', name: 'Empty', mimeType: 'application/vnd.google-apps.document', text: '  ', modifiedTime: '2025-02-03T10:00:00.000Z' },
      ],
      TOKEN,
    );
  });
  afterEach(() => drive.close());
  const connector = () => driveConnector(http({ headers: () => ({ authorization: `Bearer ${TOKEN}` }) }));

  it('lists every document on the first run (paged), exports Google Docs as text and reads text files', async () => {
    const report = await runConnector(connector(), { apiBase: drive.origin }, { source: 'me', db });
    expect(report).toMatchObject({ listed: 3, upserted: 2, skipped: [{ item: 'Empty', reason: 'empty document' }] });
    const doc = await db.pages.get('https://docs.google.com/document/d/doc1/edit');
    expect(doc).toMatchObject({ title: 'Design notes', siteName: 'Google Drive', capturedAt: Date.parse('2025-02-01T10:00:00.000Z') });
    expect(doc!.text.startsWith('The design')).toBe(true);
    expect(drive.requests.some((u) => u.pathname === '/drive/v3/files/doc1/export' && u.searchParams.get('mimeType') === 'text/plain')).toBe(true);
    expect(drive.requests.some((u) => u.pathname === '/drive/v3/files/txt1' && u.searchParams.get('alt') === 'media')).toBe(true);
  });

  it('then follows the change feed: only edited files are fetched again', async () => {
    await runConnector(connector(), { apiBase: drive.origin }, { source: 'me', db });
    drive.change('txt1', PROSE('The revised plan'), '2025-03-01T10:00:00.000Z');
    const seen = drive.requests.length;
    const report = await runConnector(connector(), { apiBase: drive.origin }, { source: 'me', db });
    expect(report).toMatchObject({ listed: 1, upserted: 1 });
    const fetched = drive.requests.slice(seen).filter((u) => u.pathname.startsWith('/drive/v3/files/'));
    expect(fetched.map((u) => u.pathname)).toEqual(['/drive/v3/files/txt1']);
    expect((await db.pages.get('https://docs.google.com/document/d/txt1/edit'))!.text).toContain('revised plan');
  });

  it("backs off exponentially on Drive's 403 userRateLimitExceeded", async () => {
    drive.rateLimit(3);
    const report = await runConnector(connector(), { apiBase: drive.origin }, { source: 'me', db });
    expect(report.upserted).toBe(2);
    // base 1 s doubling, jitter fixed at 0.75 by the test's random().
    expect(sleeps.slice(0, 3)).toEqual([750, 1500, 3000]);
  });

  it('refuses without a valid token (401 is not retried)', async () => {
    const bad = driveConnector(http({ headers: () => ({ authorization: 'Bearer wrong' }) }));
    await expect(runConnector(bad, { apiBase: drive.origin }, { source: 'me', db })).rejects.toThrow(/^401/);
    expect(sleeps).toEqual([]);
  });
});

describe('Google sign-in (launchWebAuthFlow)', () => {
  it('builds the implicit-flow URL with the user client id and reads the token from the redirect', () => {
    const u = new URL(authUrl('123.apps.googleusercontent.com', 'https://abc.chromiumapp.org/google'));
    expect(Object.fromEntries(u.searchParams)).toMatchObject({ client_id: '123.apps.googleusercontent.com', response_type: 'token', redirect_uri: 'https://abc.chromiumapp.org/google', scope: 'https://www.googleapis.com/auth/drive.readonly' });
    expect(tokenFromRedirect('https://abc.chromiumapp.org/google#access_token=T&expires_in=3600&token_type=Bearer', 0)).toEqual({ accessToken: 'T', expiresAt: 3_540_000 });
    expect(() => tokenFromRedirect('https://abc.chromiumapp.org/google#error=access_denied')).toThrow(/access_denied/);
  });

  it('asks once, keeps the token until it expires, and refuses without a client id', async () => {
    let asked = 0;
    const identity = { getRedirectURL: (p?: string) => `https://abc.chromiumapp.org/${p}`, launchWebAuthFlow: async () => (asked++, `https://abc.chromiumapp.org/google#access_token=T${asked}&expires_in=3600`) };
    let now = 1_000;
    expect(await googleAccessToken('id', { interactive: true, identity, db, now: () => now })).toBe('T1');
    expect(await googleAccessToken('id', { interactive: false, identity, db, now: () => now })).toBe('T1');
    now += 3_600_000;
    expect(await googleAccessToken('id', { interactive: false, identity, db, now: () => now })).toBe('T2');
    now += 3_600_000;
    await expect(googleAccessToken(' ', { interactive: true, identity, db, now: () => now })).rejects.toThrow(/client id/);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
