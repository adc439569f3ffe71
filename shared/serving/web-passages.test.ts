import { describe, expect, it } from 'vitest';
import { webPassages } from './web-passages';

describe('webPassages', () => {
  it('uses the read page text, else the snippet, and drops empty results', () => {
    const p = webPassages([
      { n: 1, title: 'A', url: 'https://a.test/', snippet: 'snippet a', text: 'full text a' },
      { n: 2, title: 'B', url: 'https://b.test/', snippet: 'snippet b' },
      { n: 3, title: 'C', url: 'https://c.test/', snippet: '  ' },
    ]);
    expect(p.map((x) => [x.url, x.text, x.origin, x.kind])).toEqual([
      ['https://a.test/', 'full text a', 'web', 'web'],
      ['https://b.test/', 'snippet b', 'web', 'web'],
    ]);
    expect(p[0]!.score).toBeGreaterThan(p[1]!.score);
  });
});
