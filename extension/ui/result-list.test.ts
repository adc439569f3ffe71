// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import { createPinia } from 'pinia';
import type { KeywordResult } from '@/search/keyword-index';
import ResultList from './ResultList.vue';

// happy-dom does no layout: give the scroller and the rows the sizes a browser would, so the
// virtualiser has a viewport to fill.
const restore: (() => void)[] = [];
beforeEach(() => {
  const client = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  const offset = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'result-list' ? 640 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.index !== undefined ? 92 : 0;
    },
  });
  restore.push(() => {
    if (client) Object.defineProperty(HTMLElement.prototype, 'clientHeight', client);
    if (offset) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', offset);
  });
});

let app: App | undefined;
afterEach(() => {
  restore.splice(0).forEach((undo) => undo());
  app?.unmount();
  app = undefined;
  document.body.innerHTML = '';
});

function results(n: number): KeywordResult[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `page:https://site${i % 97}.test/p${i}`,
    kind: 'page' as const,
    key: `https://site${i % 97}.test/p${i}`,
    title: `Generated page ${i} <b>not bold</b>`,
    url: `https://site${i % 97}.test/p${i}`,
    site: `site${i % 97}.test`,
    date: 1_700_000_000_000 - i * 1000,
    score: 1,
    rank: i + 1,
    terms: ['page'],
  }));
}

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await nextTick();
    await new Promise((r) => setTimeout(r, 0));
  }
};

describe('virtualised result list', () => {
  it('keeps only a window of 100,000 results in the DOM, and moves it on scroll', async () => {
    const all = results(100_000);
    const host = document.createElement('div');
    host.style.height = '640px';
    document.body.append(host);
    const started = performance.now();
    app = createApp({
      render: () =>
        h('div', { style: 'height: 640px' }, [
          h(ResultList, {
            results: all,
            titleParts: (r: KeywordResult) => [{ text: r.title, match: false }],
            snippet: async (r: KeywordResult) => [{ text: `snippet of ${r.rank}`, match: false }, { text: 'page', match: true }],
          }),
        ]),
    });
    app.use(createPinia()).mount(host);
    await settle();
    const mountMs = performance.now() - started;

    const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid=result-item]')];
    expect(rows().length).toBeGreaterThan(3);
    expect(rows().length).toBeLessThan(40);
    expect(rows()[0]!.dataset.id).toBe('https://site0.test/p0');
    expect(mountMs).toBeLessThan(15_000); // generous: CI machines are shared; rendering 100k rows would take far longer

    // Titles are text: the <b> in a title is not an element.
    expect(document.querySelector('[data-testid=result-title] b')).toBeNull();
    expect(rows()[0]!.querySelector('[data-testid=result-title]')!.textContent).toContain('<b>not bold</b>');
    // Snippets load per row, with matches in <mark>.
    expect(rows()[0]!.querySelector('[data-testid=result-snippet] mark')?.textContent).toBe('page');

    // The spacer is as tall as all rows together, so the scrollbar is honest.
    const list = document.querySelector<HTMLElement>('[data-testid=result-list]')!;
    const spacer = list.firstElementChild as HTMLElement;
    expect(parseInt(spacer.style.height, 10)).toBeGreaterThan(100_000 * 50);

    list.scrollTop = 92 * 50_000;
    list.dispatchEvent(new Event('scroll'));
    await settle();
    const indexes = rows().map((r) => Number(r.dataset.id!.split('/p').pop()));
    expect(rows().length).toBeLessThan(40);
    expect(Math.min(...indexes)).toBeGreaterThan(49_000);
    expect(Math.max(...indexes)).toBeLessThan(51_000);
  });
});
