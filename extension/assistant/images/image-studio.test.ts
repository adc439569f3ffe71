// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import type { ImageGenerateRequest, ImageGenerateResult, ImageRecord } from '@shared/schemas/images';
import ImageStudio from './ImageStudio.vue';
import { blockedReason, type StudioDeps } from './image-studio';
import type { ImageWorkerConfig } from './image-client';

const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAgAAAABLbSs=';
const paired: ImageWorkerConfig = { privacy: 'allow-worker', baseUrl: 'http://127.0.0.1:8787', token: 't' };
let app: App | undefined;

afterEach(() => {
  app?.unmount();
  app = undefined;
  document.body.innerHTML = '';
});

const settle = async () => {
  for (let i = 0; i < 6; i++) {
    await nextTick();
    await new Promise((r) => setTimeout(r, 2));
  }
};
const q = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);
const all = (id: string) => Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));

function mountStudio(overrides: Partial<StudioDeps> = {}) {
  const log = { generated: [] as ImageGenerateRequest[], inserted: [] as [string, string][], used: [] as [string, string][] };
  let answer: ImageGenerateResult = { ok: true, id: 'img-0123456789', model: 'double-image-1', images: [{ mimeType: 'image/png', base64: PNG_B64 }], notice: '' };
  const records: ImageRecord[] = [];
  const deps: StudioDeps = {
    config: async () => paired,
    draft: async () => ({ prompt: 'An illustration for this post about “Tides”', url: 'https://blog.example/post', title: 'Tides' }),
    generate: async (request) => {
      log.generated.push(request);
      return answer;
    },
    insert: async (dataUrl, alt) => {
      log.inserted.push([dataUrl, alt]);
      return { inserted: true, reason: '' };
    },
    markUsed: async (id, how) => void log.used.push([id, how]),
    recent: async () => records,
    ...overrides,
  };
  const host = document.createElement('div');
  document.body.append(host);
  app = createApp({ render: () => h(ImageStudio, { deps }) });
  app.mount(host);
  return { log, setAnswer: (a: ImageGenerateResult) => (answer = a) };
}

describe('the assistant’s Image panel', () => {
  it('drafts the prompt from the page, generates, previews and inserts into the tab (recorded as inserted)', async () => {
    const { log } = mountStudio();
    await settle();
    const prompt = q<HTMLTextAreaElement>('image-studio-prompt')!;
    expect(prompt.value).toBe('An illustration for this post about “Tides”');
    prompt.value = 'A lighthouse in a storm';
    prompt.dispatchEvent(new Event('input'));
    q('image-studio-generate')!.click();
    await settle();
    expect(log.generated).toEqual([{ prompt: 'A lighthouse in a storm', n: 1, size: '1024x1024', source: 'chat', url: 'https://blog.example/post', title: 'Tides' }]);
    expect(all('image-studio-preview')).toHaveLength(1);
    expect(q('image-studio-status')!.textContent).toContain('by double-image-1');
    q('image-studio-insert')!.click();
    await settle();
    expect(log.inserted).toEqual([[`data:image/png;base64,${PNG_B64}`, 'A lighthouse in a storm']]);
    expect(log.used).toEqual([['img-0123456789', 'inserted']]);
  });

  it('“local only” or no paired worker: Generate is off and the reason is shown before anything is sent', async () => {
    expect(blockedReason({ ...paired, privacy: 'local-only' })).toMatch(/local only/);
    expect(blockedReason({ ...paired, baseUrl: null })).toMatch(/pair this browser/);
    expect(blockedReason(paired)).toBeNull();
    const { log } = mountStudio({ config: async () => ({ ...paired, privacy: 'local-only' }) });
    await settle();
    expect(q('image-studio-blocked')!.textContent).toMatch(/local only/);
    expect(q<HTMLButtonElement>('image-studio-generate')!.disabled).toBe(true);
    expect(log.generated).toEqual([]);
  });

  it('a quota error is shown in words and the prompt is kept; an insert the page refuses says why', async () => {
    const { setAnswer } = mountStudio({ insert: async () => ({ inserted: false, reason: 'Put the caret in the editor where the image should go, then insert it.' }) });
    await settle();
    setAnswer({ ok: false, code: 'quota', message: 'Your plan’s image quota is used up for now.' });
    q('image-studio-generate')!.click();
    await settle();
    expect(q('image-studio-error')!.dataset.code).toBe('quota');
    expect(q<HTMLTextAreaElement>('image-studio-prompt')!.value).toBe('An illustration for this post about “Tides”');
    setAnswer({ ok: true, id: 'img-0123456789', model: 'm', images: [{ mimeType: 'image/png', base64: PNG_B64 }], notice: '' });
    q('image-studio-generate')!.click();
    await settle();
    q('image-studio-insert')!.click();
    await settle();
    expect(q('image-studio-error')!.textContent).toMatch(/Put the caret in the editor/);
  });
});
