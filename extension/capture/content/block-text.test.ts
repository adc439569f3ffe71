import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { blockText } from './block-text';
import { extractPage } from './extract-page';

const doc = (html: string) => parseHTML(html).document as unknown as Document;

describe('blockText', () => {
  it('breaks between blocks and at <br>, keeps inline runs together, skips scripts', () => {
    const d = doc('<html><body><div><p>the <b>defenders</b>.</p><p>On Behalf of</p><ul><li>one</li><li>two</li></ul>a<br>b<script>x()</script><table><tr><td>c1</td><td>c2</td></tr></table></div></body></html>');
    const text = blockText(d.body).replace(/\s+/g, ' ').trim();
    expect(text).toBe('the defenders. On Behalf of one two a b c1 c2');
    expect(blockText(d.body)).toMatch(/defenders\.\n+On Behalf/);
  });
});

describe('extractPage keeps the space between blocks', () => {
  it('reads adjacent paragraphs without markup whitespace as separate words', () => {
    const paragraphs = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i} tells how the defenders held the line for a long time, with enough words to be an article.</p>`).join('');
    const result = extractPage(doc(`<html><head><title>Siege</title></head><body><article><h1>Siege</h1>${paragraphs}<p>It ended with the defenders.</p><p>On Behalf of the town, the mayor spoke.</p></article></body></html>`));
    expect('page' in result).toBe(true);
    if (!('page' in result)) return;
    expect(result.page.text).not.toContain('defenders.On');
    expect(result.page.text).toMatch(/defenders\.\s+On Behalf/);
  });
});
