import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { getSettings, setDenylist, setPaused } from '@/settings/settings-repository';
import { capturePolicyFor, decideCapture } from './privacy-policy';

const settings = (over: Partial<{ paused: boolean; denylist: string[] }> = {}) => ({ paused: false, denylist: ['bank.com'], ...over });

describe('decideCapture', () => {
  it('allows ordinary web pages', () => {
    expect(decideCapture('https://en.wikipedia.org/wiki/Lobster', settings())).toEqual({ allowed: true });
    expect(decideCapture('http://127.0.0.1:4000/a', settings())).toEqual({ allowed: true });
  });

  it('denies when paused, denylisted, incognito, non-web or an extension page', () => {
    expect(decideCapture('https://example.com/', settings({ paused: true }))).toEqual({ allowed: false, reason: 'paused' });
    expect(decideCapture('https://www.bank.com/login', settings())).toEqual({ allowed: false, reason: 'denylisted' });
    expect(decideCapture('https://example.com/', settings(), { incognito: true })).toEqual({ allowed: false, reason: 'incognito' });
    expect(decideCapture('file:///etc/passwd', settings())).toEqual({ allowed: false, reason: 'not-web' });
    expect(decideCapture('chrome://settings', settings())).toEqual({ allowed: false, reason: 'not-web' });
    expect(decideCapture('chrome-extension://abcdef/options.html', settings())).toEqual({ allowed: false, reason: 'extension-page' });
    expect(decideCapture('garbage', settings())).toEqual({ allowed: false, reason: 'not-web' });
  });
});

describe('capturePolicyFor (settings from the database)', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb('policy');
  });
  afterEach(() => dropTestDb(db));

  it('starts from the default denylist and follows pause and denylist changes', async () => {
    expect((await getSettings(db)).denylist.length).toBeGreaterThanOrEqual(40);
    expect(await capturePolicyFor('https://mail.google.com/mail/u/0/', undefined, db)).toMatchObject({ allowed: false, reason: 'denylisted' });
    expect(await capturePolicyFor('https://example.com/', undefined, db)).toEqual({ allowed: true });

    await setPaused(true, db);
    expect(await capturePolicyFor('https://example.com/', undefined, db)).toMatchObject({ allowed: false, reason: 'paused' });
    await setPaused(false, db);

    await setDenylist(['example.com'], db);
    expect(await capturePolicyFor('https://www.example.com/a', undefined, db)).toMatchObject({ allowed: false, reason: 'denylisted' });
    expect(await capturePolicyFor('https://mail.google.com/', undefined, db)).toEqual({ allowed: true });
  });

  it('checks the URL the browser reports for the sender, not only the claimed one', async () => {
    const sender = { tab: { url: 'https://www.bank.com/acct', incognito: false } } as chrome.runtime.MessageSender;
    await setDenylist(['bank.com'], db);
    expect(await capturePolicyFor('https://innocent.example/', sender, db)).toMatchObject({ allowed: false, reason: 'denylisted' });
    const incognito = { tab: { url: 'https://example.com/', incognito: true } } as chrome.runtime.MessageSender;
    expect(await capturePolicyFor('https://example.com/', incognito, db)).toMatchObject({ allowed: false, reason: 'incognito' });
  });
});
