// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import { createPinia } from 'pinia';
import type { KeywordResult } from '@/search/keyword-index';
import ResultRow from './ResultRow.vue';

let app: App | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  document.body.innerHTML = '';
});

const result = (byMeaning: boolean): KeywordResult => ({
  id: 'page:https://a.test/',
  kind: 'page',
  key: 'https://a.test/',
  title: 'Tides',
  url: 'https://a.test/',
  site: 'a.test',
  date: 1_700_000_000_000,
  score: 1,
  rank: 1,
  terms: [],
  ...(byMeaning ? { byMeaning: true } : {}),
});

async function mount(r: KeywordResult): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.append(root);
  app = createApp({ render: () => h(ResultRow, { result: r, titleParts: (x: KeywordResult) => [{ text: x.title, match: false }], snippet: async () => [] }) });
  app.use(createPinia());
  app.mount(root);
  await nextTick();
  return root;
}

describe('ResultRow', () => {
  it('labels a result found only by meaning, and no other', async () => {
    expect((await mount(result(true))).querySelector('[data-testid="result-by-meaning"]')?.textContent).toBe('by meaning');
    app!.unmount();
    app = undefined;
    expect((await mount(result(false))).querySelector('[data-testid="result-by-meaning"]')).toBeNull();
  });
});
