import { describe, expect, it } from 'vitest';
import { defaultSettings } from '@/settings/settings-repository';
import { captureLine } from './capture-status';

// Issue 9, item 11: the popup says when the current page is not being captured, and why.
const settings = { ...defaultSettings(), denylist: ['clinic.example.org'] };
const web = { url: 'https://news.example/story', incognito: false };

describe('the popup’s capture line', () => {
  it('says the page is captured when the page says so and nothing forbids it', () => {
    expect(captureLine(web, settings, { capturing: true })).toEqual({ capturing: true, text: 'Capturing this page.' });
  });

  it.each([
    ['not http(s)', { url: 'chrome://settings/' }, settings, 'not-web'],
    ['incognito', { ...web, incognito: true }, settings, 'incognito'],
    ['paused', web, { ...settings, paused: true }, 'paused'],
    ['denylisted', { url: 'https://clinic.example.org/results' }, settings, 'denylisted'],
  ] as const)('names the reason: %s', (_name, tab, s, reason) => {
    const line = captureLine(tab, s, { capturing: true });
    expect(line).toMatchObject({ capturing: false, reason });
    expect(line.text).toMatch(/^Not capturing this page: /);
  });

  it('passes on what only the page knows: a sign-in page', () => {
    expect(captureLine(web, settings, { capturing: false, reason: 'sign-in-form' })).toEqual({
      capturing: false,
      reason: 'sign-in-form',
      text: 'Not capturing this page: this is a sign-in page.',
    });
  });

  it('a page refused when it loaded (then paused) or with no content script asks for a reload', () => {
    expect(captureLine(web, settings, { capturing: false, reason: 'paused' }).text).toContain('reload it');
    expect(captureLine(web, settings, null)).toMatchObject({ capturing: false, reason: 'not-loaded' });
  });
});
