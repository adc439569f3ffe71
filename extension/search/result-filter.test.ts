import { describe, expect, it } from 'vitest';
import { resultFilter } from './result-filter';

const item = (kind: string, site: string, date: number) => ({ kind, site, date });

describe('resultFilter', () => {
  it('keeps everything without filters (no predicate to run)', () => {
    expect(resultFilter({})).toBeUndefined();
    expect(resultFilter({ kind: 'all', site: '  ' })).toBeUndefined();
  });

  it('matches part of a host in any case, and inclusive date bounds', () => {
    const pass = resultFilter({ site: 'GitHub', from: 10, to: 20 })!;
    expect(pass(item('page', 'gist.github.com', 10))).toBe(true);
    expect(pass(item('page', 'github.com', 20))).toBe(true);
    expect(pass(item('page', 'github.com', 21))).toBe(false);
    expect(pass(item('page', 'gitlab.com', 15))).toBe(false);
  });

  it('hides spam pages only when asked', () => {
    expect(resultFilter({ hideSpam: false })).toBeUndefined();
    const pass = resultFilter({ hideSpam: true })!;
    expect(pass({ ...item('page', 'a', 0), spam: true })).toBe(false);
    expect(pass({ ...item('page', 'a', 0), spam: false })).toBe(true);
    expect(pass(item('highlight', 'a', 0))).toBe(true);
  });

  it('applies kind and kinds together', () => {
    const pass = resultFilter({ kind: 'page', kinds: ['page', 'highlight'] })!;
    expect(pass(item('page', 'a', 0))).toBe(true);
    expect(pass(item('highlight', 'a', 0))).toBe(false);
    expect(resultFilter({ kinds: ['page', 'highlight'] })!(item('search', 'a', 0))).toBe(false);
  });
});
