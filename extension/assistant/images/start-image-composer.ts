import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { onMessage, sendMessage } from '@/messaging/router';
import { COMPOSER_TAG, ImageComposer, type ComposerDeps, type ComposerLifetime } from './image-composer';
import { captureCaret, insertImageAt, notAnEditorReason, type ImageCaret } from './insert-image';
import { draftImagePrompt } from './prompt-draft';

/**
 * The content-script half of generative images: the right-click composer ('image.compose') and
 * inserting an image the assistant's Image panel made ('image.insert') at the caret of the editor the
 * person last wrote in (the panel has the focus by then, so that caret is remembered as it moves).
 */

const PAGE_OPENING_CHARS = 2000;

function pageOpening(doc: Document): string {
  const main = doc.querySelector('main, article') ?? doc.body;
  return (main?.textContent ?? '').slice(0, PAGE_OPENING_CHARS);
}

function caretRect(caret: ImageCaret | null): DOMRect | null {
  if (!caret) return null;
  const r = caret.range.getBoundingClientRect();
  return r.width || r.height ? r : caret.host.getBoundingClientRect();
}

export class PageImages {
  readonly composer: ImageComposer;
  private lastCaret: ImageCaret | null = null;

  constructor(
    private readonly doc: Document,
    life: ComposerLifetime,
    deps: ComposerDeps,
  ) {
    this.composer = new ImageComposer(doc, life, deps);
    life.addEventListener(doc, 'selectionchange', () => {
      const caret = captureCaret(doc);
      if (caret) this.lastCaret = caret;
    });
  }

  /** The right-click item: the composer with a prompt drafted from the selection, the post, or the page. */
  compose(selectionText: string): boolean {
    const caret = captureCaret(this.doc);
    const selected = caret && !caret.range.collapsed ? caret.range.toString() : '';
    const post = caret ? (caret.host.innerText ?? caret.host.textContent ?? '') : '';
    const prompt = draftImagePrompt({
      text: selected || selectionText || post,
      pageTitle: this.doc.title,
      pageText: pageOpening(this.doc),
    });
    this.composer.open({ prompt, caret, anchor: caretRect(caret), pageUrl: this.doc.location?.href ?? null, pageTitle: this.doc.title ?? '' });
    return true;
  }

  /** An image from the assistant's Image panel, at the caret of the editor last written in. */
  insert(dataUrl: string, alt: string): { inserted: boolean; reason: string } {
    const caret = (this.lastCaret?.host.isConnected ? this.lastCaret : null) ?? captureCaret(this.doc);
    if (!caret) return { inserted: false, reason: notAnEditorReason(this.doc) };
    const done = insertImageAt(caret, dataUrl, alt);
    return { inserted: done.inserted, reason: done.reason };
  }
}

export function startImageComposer(ctx: ContentScriptContext): PageImages {
  const life: ComposerLifetime = {
    addEventListener: (target, type, listener, options) => ctx.addEventListener(target as Window, type as keyof WindowEventMap, listener as never, options),
  };
  const images = new PageImages(document, life, {
    generate: (request) => sendMessage('image.generate', request),
    markUsed: (id, how) => sendMessage('image.used', { id, how }),
  });
  // Only the top frame answers, so one composer opens per click.
  if (window.top === window) {
    onMessage('image.compose', ({ text }) => ({ shown: images.compose(text) }));
    onMessage('image.insert', ({ dataUrl, alt }) => images.insert(dataUrl, alt));
  }
  ctx.onInvalidated(() => images.composer.close());
  return images;
}

export { COMPOSER_TAG };
