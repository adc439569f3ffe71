// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageGenerateRequest, ImageGenerateResult } from '@shared/schemas/images';
import { ImageComposer, type ComposerDeps } from './image-composer';
import { captureCaret } from './insert-image';

const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAgAAAABLbSs=';
const life = { addEventListener: (t: EventTarget, type: string, l: (e: Event) => void, o?: AddEventListenerOptions) => t.addEventListener(type, l, o) };
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the in-page image composer', () => {
  let asked: ImageGenerateRequest[];
  let used: [string, string][];
  let downloads: [string, string][];
  let answer: ImageGenerateResult;
  let composer: ImageComposer;
  let root: ShadowRoot;
  const q = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`)!;
  const all = (id: string) => Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));

  beforeEach(() => {
    document.body.innerHTML = '<div id="editor" contenteditable="true"><p>My post about tides</p></div>';
    asked = [];
    used = [];
    downloads = [];
    answer = { ok: true, id: 'img-abcdef0123', model: 'double-image-1', images: [{ mimeType: 'image/png', base64: PNG_B64 }, { mimeType: 'image/png', base64: PNG_B64 }], notice: '' };
    const deps: ComposerDeps = {
      generate: async (request) => {
        asked.push(request);
        return answer;
      },
      markUsed: async (id, how) => void used.push([id, how]),
      download: (url, name) => void downloads.push([url, name]),
    };
    // The closed root is reachable in the test through attachShadow's return value.
    const attach = HTMLElement.prototype.attachShadow;
    HTMLElement.prototype.attachShadow = function (init) {
      root = attach.call(this, init);
      return root;
    };
    composer = new ImageComposer(document, life, deps);
    HTMLElement.prototype.attachShadow = attach;
    const text = document.querySelector('#editor p')!.firstChild!;
    const range = document.createRange();
    range.setStart(text, 7); // "My post| about tides"
    range.collapse(true);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
    composer.open({ prompt: 'An illustration for this post: My post about tides', caret: captureCaret(document), anchor: null, pageUrl: 'http://127.0.0.1/post', pageTitle: 'Post' });
  });

  it('opens with the drafted prompt, editable, in a closed shadow root the page can’t read', () => {
    expect(composer.host.shadowRoot).toBeNull();
    expect(q<HTMLTextAreaElement>('image-prompt').value).toBe('An illustration for this post: My post about tides');
    expect(q('image-composer').hidden).toBe(false);
  });

  it('generates the chosen number of images from the edited prompt and previews them', async () => {
    q<HTMLTextAreaElement>('image-prompt').value = 'A watercolour of a tide pool';
    q<HTMLSelectElement>('image-count').value = '2';
    q<HTMLSelectElement>('image-size').value = '512x512';
    q('image-generate').click();
    await settle();
    expect(asked).toEqual([{ prompt: 'A watercolour of a tide pool', n: 2, size: '512x512', source: 'menu', url: 'http://127.0.0.1/post', title: 'Post' }]);
    expect(composer.state).toBe('ready');
    expect(all('image-preview')).toHaveLength(2);
    expect(all('image-preview-img')[0]!.getAttribute('src')).toBe(`data:image/png;base64,${PNG_B64}`);
    expect(q('image-status').textContent).toContain('by double-image-1');
    // Nothing reached the page before Insert.
    expect(document.querySelector('#editor img')).toBeNull();
  });

  it('Insert puts the chosen image at the caret, records it, and closes', async () => {
    q('image-generate').click();
    await settle();
    all('image-insert')[1]!.click();
    const img = document.querySelector('#editor img')!;
    expect(img.getAttribute('src')).toBe(`data:image/png;base64,${PNG_B64}`);
    expect(img.previousSibling?.textContent).toBe('My post');
    expect(used).toEqual([['img-abcdef0123', 'inserted']]);
    expect(composer.isOpen).toBe(false);
  });

  it('Download hands the image over with a file name from the prompt, and records it', async () => {
    q('image-generate').click();
    await settle();
    all('image-download')[0]!.click();
    expect(downloads).toEqual([[`data:image/png;base64,${PNG_B64}`, 'illustration-for-this-post-my-post-1.png']]);
    expect(used).toEqual([['img-abcdef0123', 'downloaded']]);
    expect(document.querySelector('#editor img')).toBeNull();
  });

  it('a quota error, a refused prompt or a failed worker is shown in words and the prompt is kept', async () => {
    for (const failure of [
      { ok: false as const, code: 'quota' as const, message: 'Your plan’s image quota is used up for now.' },
      { ok: false as const, code: 'refused' as const, message: 'The image service refused this prompt.' },
      { ok: false as const, code: 'network' as const, message: 'Could not reach your worker.' },
    ]) {
      answer = failure;
      q<HTMLTextAreaElement>('image-prompt').value = 'my careful prompt';
      q('image-generate').click();
      await settle();
      expect(composer.state).toBe('error');
      expect(q('image-error').hidden).toBe(false);
      expect(q('image-error').dataset.code).toBe(failure.code);
      expect(q('image-error').textContent).toBe(failure.message);
      expect(q<HTMLTextAreaElement>('image-prompt').value).toBe('my careful prompt');
      expect(all('image-preview')).toHaveLength(0);
    }
  });

  it('an empty prompt is not sent', async () => {
    q<HTMLTextAreaElement>('image-prompt').value = '   ';
    q('image-generate').click();
    await settle();
    expect(asked).toEqual([]);
    expect(q('image-error').textContent).toMatch(/Write what the image should show/);
  });

  it('an answer arriving after the composer closed is dropped', async () => {
    q('image-generate').click();
    composer.close();
    await settle();
    expect(all('image-preview')).toHaveLength(0);
  });
});
