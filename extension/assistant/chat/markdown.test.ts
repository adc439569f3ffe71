// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { HOSTILE_ANSWER } from '@/test-support/openai-test-double';
import { renderMarkdown } from './markdown';

/** Every attribute of every element: where a handler or a script URL would have to be to run. */
function attributes(el: HTMLElement): string[] {
  return [...el.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => `${a.name}=${a.value}`));
}

function mount(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders Markdown and turns real citations into buttons', () => {
    const el = mount(renderMarkdown('**Bold** and a list:\n\n- one [1]\n- two [7]', 2));
    expect(el.querySelector('strong')?.textContent).toBe('Bold');
    expect(el.querySelectorAll('li')).toHaveLength(2);
    const cites = el.querySelectorAll('[data-testid="assistant-citation"]');
    expect(cites).toHaveLength(1);
    expect(cites[0]!.getAttribute('data-cite')).toBe('1');
    // [7] points at no source: it stays text.
    expect(el.textContent).toContain('[7]');
  });

  it('renders hostile output inert: no script, no handlers, no javascript: links', () => {
    const html = renderMarkdown(HOSTILE_ANSWER, 1);
    const el = mount(html);
    expect(el.querySelector('script')).toBeNull();
    expect(el.querySelector('img')).toBeNull();
    expect(attributes(el).filter((a) => /^on/i.test(a) || /javascript:/i.test(a))).toEqual([]);
    // The tags come back as visible text, so the reader sees what the model tried.
    expect(el.textContent).toContain('<script>');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/docs']);
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toContain('noopener');
  });

  it('drops raw HTML attributes and odd schemes however they are spelled', () => {
    const html = renderMarkdown('[x](JaVaScRiPt:alert(1)) [y](data:text/html,hi) [z](vbscript:x) <a href="javascript:1" onclick="x">a</a> <iframe src="https://e.com">', 0);
    const el = mount(html);
    expect(attributes(el).filter((a) => /^on/i.test(a) || /^href=(?!https?:)/i.test(a))).toEqual([]);
    expect(el.querySelector('iframe')).toBeNull();
  });

  it('renders a 1 MB answer as text', () => {
    const huge = `${'word '.repeat(200_000)}<img src=x onerror=alert(1)>`;
    const html = renderMarkdown(huge, 0);
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(mount(html).querySelector('img')).toBeNull();
  });
});

describe('citation buttons', () => {
  it('cannot be forged by the model: only the renderer’s own, numbered within the sources', () => {
    const el = mount(renderMarkdown('<button class="cite">1</button> `[1]` [1] [3]', 2));
    const cites = [...el.querySelectorAll('button')];
    expect(cites.map((b) => b.getAttribute('data-cite'))).toEqual(['1']);
    expect(el.textContent).toContain('<button class="cite">1</button>');
  });
});
