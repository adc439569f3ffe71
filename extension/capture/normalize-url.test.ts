import { describe, expect, it } from 'vitest';
import { isWebUrl, normalizeUrl, pageKeyUrl, registrableDomain, siteOf } from './normalize-url';

describe('normalizeUrl', () => {
  it('drops tracking parameters and keeps the rest in order', () => {
    expect(normalizeUrl('https://example.com/a?utm_source=x&id=7&fbclid=abc&b=2&UTM_Medium=y&gclid=1&msclkid=2&mc_eid=3&_ga=4&yclid=5&igshid=6&ref_src=twsrc'))
      .toBe('https://example.com/a?id=7&b=2');
    expect(normalizeUrl('https://example.com/?z=1&a=2')).toBe('https://example.com/?z=1&a=2');
  });

  it('removes the query entirely when only tracking was in it', () => {
    expect(normalizeUrl('https://example.com/post?utm_campaign=spring')).toBe('https://example.com/post');
  });

  it('drops fragments and credentials, lower-cases the host only', () => {
    expect(normalizeUrl('https://user:pw@WWW.Example.COM/Path/To?Q=A#section-2')).toBe('https://www.example.com/Path/To?Q=A');
  });

  it('leaves encoded values as they were', () => {
    expect(normalizeUrl('https://example.com/s?q=a%20b&r=c+d&t=~x')).toBe('https://example.com/s?q=a%20b&r=c+d&t=~x');
  });

  it('rejects what is not an http(s) URL', () => {
    expect(normalizeUrl('chrome://settings')).toBeNull();
    expect(normalizeUrl('javascript:alert(1)')).toBeNull();
    expect(normalizeUrl('not a url')).toBeNull();
    expect(isWebUrl('chrome-extension://abc/popup.html')).toBe(false);
    expect(isWebUrl('http://127.0.0.1:8080/x')).toBe(true);
  });
});

describe('pageKeyUrl', () => {
  it('uses a same-site canonical', () => {
    expect(pageKeyUrl('https://m.example.com/a?utm_source=t', 'https://www.example.com/a')).toBe('https://www.example.com/a');
    expect(pageKeyUrl('https://news.example.co.uk/x', 'https://www.example.co.uk/y#top')).toBe('https://www.example.co.uk/y');
  });

  it('ignores a canonical on another site or scheme', () => {
    expect(pageKeyUrl('https://blog.example.com/a', 'https://evil.test/a')).toBe('https://blog.example.com/a');
    expect(pageKeyUrl('https://a.example.co.uk/a', 'https://b.other.co.uk/a')).toBe('https://a.example.co.uk/a');
    expect(pageKeyUrl('https://example.com/a', 'javascript:alert(1)')).toBe('https://example.com/a');
    expect(pageKeyUrl('https://example.com/a', null)).toBe('https://example.com/a');
  });

  it('knows the site of a URL', () => {
    expect(siteOf('https://Docs.Example.com/x')).toBe('docs.example.com');
    expect(registrableDomain('a.b.example.com')).toBe('example.com');
    expect(registrableDomain('127.0.0.1')).toBe('127.0.0.1');
  });
});
