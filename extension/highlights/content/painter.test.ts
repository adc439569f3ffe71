// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { anchor, describe as describeRange } from '@/anchoring/index';
import { rangeFromOffsets, textOf } from '@/anchoring/text-offsets';
import { HIGHLIGHT_TAG, allPaintedIds, highlightIdOf, paint, paintedElements, recolor, unpaint } from './painter';

function select(phrase: string, occurrence = 0): Range {
  const text = textOf(document.body);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) throw new Error(`no ${phrase}`);
  return rangeFromOffsets(document.body, at, at + phrase.length)!;
}

const PAGE = `<article><h1>Title</h1>
<p>Alpha <b>bravo</b> charlie <i>delta</i> echo.</p>
<ul>
  <li>first item</li>
  <li>second item</li>
</ul>
<p>Before <script>var s = "script text";</script><style>.x{color:red}</style><textarea>typed text</textarea> after.</p>
<p id="hostile">&lt;img src=x onerror="window.pwned=1"&gt; and &lt;b&gt;bold&lt;/b&gt;</p>
<table><tr><td>cell one</td> <td>cell two</td></tr></table>
</article>`;

beforeEach(() => {
  document.body.innerHTML = PAGE;
});

describe('painter', () => {
  it('wraps exactly the covered text across elements and restores the DOM when removed', () => {
    const before = document.body.innerHTML;
    const childCounts = [...document.querySelectorAll('p')].map((p) => p.childNodes.length);
    const els = paint(select('pha bravo char'), 'hl_a', 'yellow');
    expect(els.map((e) => e.textContent)).toEqual(['pha ', 'bravo', ' char']);
    expect(els.every((e) => e.localName === HIGHLIGHT_TAG && highlightIdOf(e) === 'hl_a' && !e.hasAttribute('data-highlight-id') && e.dataset.color === 'yellow')).toBe(true);
    expect(els[0]!.getAttribute('style')).toContain('background-color');
    expect(textOf(document.body)).toBe(textOf(new DOMParser().parseFromString(PAGE, 'text/html').body));

    unpaint('hl_a');
    expect(document.querySelectorAll(HIGHLIGHT_TAG)).toHaveLength(0);
    expect(document.body.innerHTML).toBe(before);
    expect([...document.querySelectorAll('p')].map((p) => p.childNodes.length)).toEqual(childCounts);
  });

  it('never wraps inside script, style or textarea', () => {
    // Script and style text is not page text at all; the textarea's is, but is never wrapped.
    const els = paint(select('Before typed text after.'), 'hl_b', 'green');
    expect(els.map((e) => e.textContent)).toEqual(['Before ', ' after.']);
    expect(document.querySelector('script')!.childNodes).toHaveLength(1);
    expect(document.querySelector('textarea')!.querySelector(HIGHLIGHT_TAG)).toBeNull();
  });

  it('skips whitespace between list items and table cells but keeps spaces between inline words', () => {
    const list = paint(select('first item\n  second'), 'hl_c', 'blue');
    expect(list.map((e) => e.parentElement!.localName)).toEqual(['li', 'li']);
    const table = paint(select('one cell'), 'hl_d', 'pink');
    expect(table.map((e) => e.textContent)).toEqual(['one', 'cell']);
    const inline = paint(select('bravo charlie delta'), 'hl_e', 'purple');
    expect(inline.map((e) => e.textContent)).toEqual(['bravo', ' charlie ', 'delta']);
  });

  it('keeps hostile page text as text', () => {
    const els = paint(select('<img src=x onerror="window.pwned=1"> and <b>bold</b>'), 'hl_f', 'yellow');
    expect(els).toHaveLength(1);
    const p = document.getElementById('hostile')!;
    expect(p.querySelector('img, b')).toBeNull();
    expect(p.textContent).toBe('<img src=x onerror="window.pwned=1"> and <b>bold</b>');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('handles overlapping highlights removed in either order', () => {
    const before = document.body.innerHTML;
    paint(select('Alpha bravo'), 'hl_1', 'yellow');
    paint(select('bravo charlie'), 'hl_2', 'green');
    expect(paintedElements('hl_2').map((e) => e.textContent).join('')).toBe('bravo charlie');
    expect(allPaintedIds()).toEqual(new Set(['hl_1', 'hl_2']));
    recolor('hl_1', 'pink');
    expect(paintedElements('hl_1').every((e) => e.dataset.color === 'pink' && e.getAttribute('style')!.includes('255, 90, 160'))).toBe(true);
    unpaint('hl_1');
    expect(paintedElements('hl_2').map((e) => e.textContent).join('')).toBe('bravo charlie');
    unpaint('hl_2');
    expect(document.body.innerHTML).toBe(before);
  });

  it('leaves selectors valid: a highlight described before painting re-anchors over painted text', () => {
    const selectors = describeRange(document.body, select('charlie delta echo'));
    paint(select('Alpha bravo charlie'), 'hl_x', 'yellow');
    const again = anchor(document.body, selectors)!;
    expect(again.toString()).toBe('charlie delta echo');
    // and a range starting inside a painted wrapper describes to the same selectors
    expect(describeRange(document.body, again)).toEqual(selectors);
    const els = paint(again, 'hl_y', 'green');
    expect(els.map((e) => e.textContent).join('')).toBe('charlie delta echo');
  });
});
