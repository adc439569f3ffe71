import { describe, expect, it } from 'vitest';
import { DEFAULT_DENYLIST } from './default-denylist';
import { findDenyMatch, parseDenylist, parsePattern } from './denylist';

const deny = (patterns: string[], url: string) => findDenyMatch(parseDenylist(patterns).patterns, url)?.source ?? null;

describe('denylist patterns', () => {
  it('a bare host covers itself and its subdomains, nothing else', () => {
    expect(deny(['bank.com'], 'https://bank.com/')).toBe('bank.com');
    expect(deny(['bank.com'], 'https://www.bank.com/login')).toBe('bank.com');
    expect(deny(['bank.com'], 'https://notbank.com/')).toBeNull();
    expect(deny(['bank.com'], 'https://bank.com.evil.test/')).toBeNull();
  });

  it('*.host reads as a wildcard and covers the host too', () => {
    expect(deny(['*.bank.com'], 'https://online.bank.com/x')).toBe('*.bank.com');
    expect(deny(['*.bank.com'], 'https://bank.com/x')).toBe('*.bank.com');
  });

  it('a subdomain pattern leaves the parent alone', () => {
    expect(deny(['mail.google.com'], 'https://mail.google.com/mail/u/0/#inbox')).toBe('mail.google.com');
    expect(deny(['mail.google.com'], 'https://www.google.com/search?q=x')).toBeNull();
  });

  it('supports scheme and path parts', () => {
    expect(deny(['*://*.paypal.com/*'], 'https://www.paypal.com/myaccount')).toBe('*://*.paypal.com/*');
    expect(deny(['https://example.com/*'], 'http://example.com/a')).toBeNull();
    expect(deny(['https://example.com/*'], 'https://example.com/a')).toBe('https://example.com/*');
    expect(deny(['example.com/account/*'], 'https://example.com/account/settings')).toBe('example.com/account/*');
    expect(deny(['example.com/account/*'], 'https://example.com/blog')).toBeNull();
    expect(deny(['example.com/login'], 'https://example.com/login')).toBe('example.com/login');
    expect(deny(['example.com/login'], 'https://example.com/login/more')).toBeNull();
  });

  it('matches host wildcards in the middle and ignores case and ports', () => {
    expect(deny(['mychart.*'], 'https://mychart.somehealth.org/MyChart/')).toBe('mychart.*');
    expect(deny(['Example.COM'], 'http://www.example.com:8080/')).toBe('Example.COM');
    expect(deny(['localhost:3000'], 'http://localhost:5000/')).toBe('localhost:3000');
  });

  it('skips blanks and comments, reports invalid patterns', () => {
    const parsed = parseDenylist(['', '  # banks', 'ok.com # trailing', 'ftp://x.com', '*', 'bad host!', '*://*/*']);
    expect(parsed.patterns.map((p) => p.source)).toEqual(['ok.com']);
    expect(parsed.invalid.map((i) => i.pattern)).toEqual(['ftp://x.com', '*', 'bad host!', '*://*/*']);
    expect(parsePattern('*/private/*')?.source).toBe('*/private/*');
  });

  it('the default list parses cleanly and covers each category', () => {
    const parsed = parseDenylist(DEFAULT_DENYLIST);
    expect(parsed.invalid).toEqual([]);
    expect(parsed.patterns.length).toBeGreaterThanOrEqual(40);
    for (const url of [
      'https://secure.chase.com/web/auth',
      'https://www.paypal.com/signin',
      'https://mychart.example-health.org/',
      'https://mail.google.com/mail/u/0/',
      'https://outlook.live.com/mail/0/',
      'https://vault.bitwarden.com/#/login',
      'https://my.1password.com/',
      'https://accounts.google.com/signin',
    ]) {
      expect(findDenyMatch(parsed.patterns, url), url).not.toBeNull();
    }
    expect(findDenyMatch(parsed.patterns, 'https://en.wikipedia.org/wiki/Lobster')).toBeNull();
    expect(findDenyMatch(parsed.patterns, 'https://www.google.com/search?q=bank')).toBeNull();
  });
});
