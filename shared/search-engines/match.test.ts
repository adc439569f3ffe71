import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import table from 'virtual:calico-search-engines';
import { compileSearchEngines } from './compile';
import { lossyHost } from './match';
import { matchSearch, matchSearchEngine } from './index';

describe('compiled table', () => {
  it('is built from the shipped YAML by the Vite plugin', () => {
    const fresh = compileSearchEngines(readFileSync(new URL('./data/SearchEngines.yml', import.meta.url), 'utf8'));
    expect(table).toEqual(fresh);
    expect(table.engines.length).toBeGreaterThan(250);
    expect(table.engines).toContain('Google');
    expect(Object.keys(table.hosts).length).toBeGreaterThan(500);
  });

  it('keeps regex params as regexes and plain paths as literals', () => {
    const compiled = compileSearchEngines(`X:\n  - urls: [x.com]\n    params: [q, '/s\\/([^\\/]+)/']\n    hiddenkeyword: ['/', '/^$/', '/do/search']\n`);
    expect(compiled.configs[0]!.params).toEqual([{ literal: 'q' }, { regex: 's\\/([^\\/]+)', flags: '' }]);
    expect(compiled.configs[0]!.hidden).toEqual([{ literal: '/' }, { regex: '^$', flags: '' }, { literal: '/do/search' }]);
  });

  it('rejects malformed definitions', () => {
    expect(() => compileSearchEngines('X:\n  - urls: x.com\n')).toThrow(/urls/);
  });
});

describe('lossyHost', () => {
  it('folds www, mobile and country parts like Matomo', () => {
    expect(lossyHost('www.google.co.uk')).toBe('google.{}');
    expect(lossyHost('www.google.com.br')).toBe('google.{}');
    expect(lossyHost('google.de')).toBe('google.{}');
    expect(lossyHost('cn.bing.com')).toBe('{}.bing.com');
    expect(lossyHost('m.yandex.ru')).toBe('yandex.{}');
    expect(lossyHost('www.bing.com')).toBe('bing.com');
  });
});

describe('matchSearch on the real SearchEngines.yml', () => {
  it.each([
    ['https://www.bing.com/search?q=calico+lobster&form=QBLH', 'Bing', 'calico lobster'],
    ['https://cn.bing.com/search?q=%E9%BE%99%E8%99%BE', 'Bing', '龙虾'],
    ['https://www.bing.com/images/search?q=lobster', 'Bing Images', 'lobster'],
    ['https://www.google.com/search?q=rust+borrow+checker&hl=en', 'Google', 'rust borrow checker'],
    ['https://www.google.co.uk/search?q=tea', 'Google', 'tea'],
    ['https://www.google.com.br/search?q=praia', 'Google', 'praia'],
    ['https://www.google.de/search?q=wurst', 'Google', 'wurst'],
    ['https://www.google.co.jp/search?q=sushi', 'Google', 'sushi'],
    ['https://www.google.com/webhp#q=fragment+query', 'Google', 'fragment query'],
    ['https://duckduckgo.com/?q=privacy&t=h_', 'DuckDuckGo', 'privacy'],
    ['https://yandex.ru/search/?text=%D0%BF%D0%BE%D0%B8%D1%81%D0%BA&lr=213', 'Yandex', 'поиск'],
    ['https://yandex.com.tr/search/?text=kebap', 'Yandex', 'kebap'],
    ['https://ya.ru/search/?text=hello', 'Yandex', 'hello'],
    ['https://www.baidu.com/s?wd=%E7%99%BE%E5%BA%A6&rsv_spt=1', 'Baidu', '百度'],
    ['https://m.baidu.com/s?word=mobile', 'Baidu', 'mobile'],
    ['https://www.ecosia.org/search?q=trees', 'Ecosia', 'trees'],
    ['https://search.yahoo.com/search?p=weather', 'Yahoo!', 'weather'],
    ['https://de.search.yahoo.com/search?p=wetter', 'Yahoo!', 'wetter'],
  ])('%s → %s "%s"', (url, engine, query) => {
    expect(matchSearch(url)).toEqual({ engine, query });
  });

  it('reads keywords that live in the path through regex params', () => {
    // Find a real configuration whose params include a regex, and build a URL it must accept.
    const blekko = compileSearchEngines(readFileSync(new URL('./data/SearchEngines.yml', import.meta.url), 'utf8'));
    const withRegex = blekko.configs.findIndex((c) => c.params.some((p) => 'regex' in p && p.regex === 'search\\/[^\\/]+\\/(.*)'));
    expect(withRegex).toBeGreaterThanOrEqual(0);
    const host = Object.entries(blekko.hosts).find(([, i]) => i === withRegex)![0];
    const result = matchSearch(`https://${host}/search/web/calico%20lobster`);
    expect(result).toEqual({ engine: blekko.engines[blekko.configs[withRegex]!.engine], query: 'calico lobster' });
  });

  it('returns null for pages that are not results', () => {
    expect(matchSearch('https://www.google.com/')).toBeNull();
    expect(matchSearch('https://www.bing.com/search?q=')).toBeNull();
    expect(matchSearch('https://example.com/search?q=lobster')).toBeNull();
    expect(matchSearch('https://developer.mozilla.org/en-US/search?q=fetch')).toBeNull();
    expect(matchSearch('not a url')).toBeNull();
    expect(matchSearch('ftp://www.google.com/search?q=x')).toBeNull();
  });

  it('knows engine pages that hide the keyword', () => {
    expect(matchSearchEngine('https://www.google.com/url?sa=t&url=https%3A%2F%2Fexample.com')).toMatchObject({ engine: 'Google', query: null, hiddenKeyword: true });
    expect(matchSearchEngine('https://www.bing.com/')).toMatchObject({ engine: 'Bing', query: null, hiddenKeyword: true });
    expect(matchSearchEngine('https://example.org/')).toBeNull();
  });
});
