import type { ImageGenerateRequest, ImageGenerateResult, ImageSize } from '@shared/schemas/images';
import { IMAGE_SIZES } from '@shared/schemas/web-search';
import { COMPOSER_CSS } from './composer-styles';
import { downloadName, toDataUrl } from './data-url';
import { insertImageAt, notAnEditorReason, type ImageCaret } from './insert-image';
import { button, el, shadowHost } from '@/assistant/content/shadow-dom';

/**
 * The in-page image composer the right-click "Generate image…" opens: an editable prompt (drafted from
 * the selection, the post or the page), how many images (1–4) and their size, Generate, the previews,
 * and for each one Insert (at the caret taken when the composer opened) or Download.
 *
 * It lives in a closed shadow root on its own element like the answer bubble, so the page can neither
 * read the prompt and the images nor press its buttons. The images reach the page only when the person
 * presses Insert; a failure leaves the prompt as it was, to change or send again.
 */

export const COMPOSER_TAG = 'calico-image-composer';

export interface ComposerDeps {
  generate: (request: ImageGenerateRequest) => Promise<ImageGenerateResult>;
  markUsed: (id: string, how: 'inserted' | 'downloaded') => Promise<unknown>;
  /** Downloads the image (an <a download> in the composer by default). */
  download?: (dataUrl: string, fileName: string) => void;
}

export interface ComposerLifetime {
  addEventListener: (target: EventTarget, type: string, listener: (e: Event) => void, options?: AddEventListenerOptions) => void;
}

export interface ComposerOpen {
  prompt: string;
  caret: ImageCaret | null;
  /** Where to show it (the caret); null → the top right corner. */
  anchor: DOMRect | null;
  pageUrl: string | null;
  pageTitle: string;
}

type State = 'idle' | 'generating' | 'ready' | 'error';

export class ImageComposer {
  readonly host: HTMLElement;
  private readonly root: ShadowRoot;
  private readonly panel: HTMLDivElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly count: HTMLSelectElement;
  private readonly size: HTMLSelectElement;
  private readonly generateButton: HTMLButtonElement;
  private readonly status: HTMLParagraphElement;
  private readonly error: HTMLParagraphElement;
  private readonly previews: HTMLDivElement;
  private session: ComposerOpen | null = null;
  /** Bumped on every open/close, so a late answer to a closed composer is dropped. */
  private generation = 0;

  constructor(
    private readonly doc: Document,
    life: ComposerLifetime,
    private readonly deps: ComposerDeps,
  ) {
    const shell = shadowHost(doc, COMPOSER_TAG);
    this.host = shell.host;
    this.root = shell.root;
    this.panel = el(doc, 'div', { className: 'composer', testid: 'image-composer' });
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-label', 'Generate an image');
    this.panel.hidden = true;

    const head = el(doc, 'div', { className: 'head' });
    const close = button(doc, '✕', 'image-close', 'icon');
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', () => this.close());
    head.append(el(doc, 'span', { className: 'title', text: 'Generate an image' }), close);

    const body = el(doc, 'div', { className: 'body' });
    this.prompt = el(doc, 'textarea', { testid: 'image-prompt' });
    this.prompt.maxLength = 2000;
    this.prompt.setAttribute('aria-label', 'Image prompt');
    this.count = el(doc, 'select', { testid: 'image-count' });
    this.count.setAttribute('aria-label', 'How many images');
    for (const n of [1, 2, 3, 4]) this.count.append(Object.assign(el(doc, 'option', { text: `${n} image${n > 1 ? 's' : ''}` }), { value: String(n) }));
    this.size = el(doc, 'select', { testid: 'image-size' });
    this.size.setAttribute('aria-label', 'Image size');
    for (const s of IMAGE_SIZES) this.size.append(Object.assign(el(doc, 'option', { text: s.replace('x', ' × ') }), { value: s }));
    this.size.value = '1024x1024';
    this.generateButton = button(doc, 'Generate', 'image-generate', 'btn primary');
    this.generateButton.addEventListener('click', () => void this.generate());
    const controls = el(doc, 'div', { className: 'row' });
    controls.append(this.count, this.size, this.generateButton);
    this.status = el(doc, 'p', { className: 'status', testid: 'image-status' });
    this.status.setAttribute('role', 'status');
    this.error = el(doc, 'p', { className: 'error', testid: 'image-error' });
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.previews = el(doc, 'div', { className: 'grid', testid: 'image-previews' });
    const note = el(doc, 'p', { className: 'muted', text: 'Only the prompt goes to your worker. The images come back here and go into the page only when you insert one.' });
    body.append(this.prompt, controls, this.status, this.error, this.previews, note);
    this.panel.append(head, body);
    this.root.append(el(doc, 'style', { text: COMPOSER_CSS }), this.panel);

    // Keys typed here are ours (the page's shortcuts must not see them); Escape closes.
    for (const type of ['keydown', 'keyup', 'keypress']) {
      this.root.addEventListener(type, (e) => {
        if (type === 'keydown' && (e as KeyboardEvent).key === 'Escape') this.close();
        e.stopPropagation();
      });
    }
    life.addEventListener(doc, 'keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && this.isOpen) this.close();
    }, { capture: true });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  get state(): State {
    return (this.panel.dataset.state as State | undefined) ?? 'idle';
  }

  private setState(state: State): void {
    this.panel.dataset.state = state;
    this.generateButton.disabled = state === 'generating';
  }

  open(session: ComposerOpen): void {
    this.generation++;
    this.session = session;
    this.prompt.value = session.prompt;
    this.previews.replaceChildren();
    this.status.textContent = session.caret ? '' : notAnEditorReason(this.doc);
    this.showError(null);
    this.setState('idle');
    if (!this.host.isConnected) (this.doc.body ?? this.doc.documentElement).append(this.host);
    this.panel.hidden = false;
    this.place(session.anchor);
    this.prompt.focus({ preventScroll: true });
  }

  close(): void {
    this.generation++;
    this.panel.hidden = true;
    this.previews.replaceChildren();
    this.session = null;
    this.host.remove();
  }

  private place(anchor: DOMRect | null): void {
    const win = this.doc.defaultView;
    const width = Math.min(400, (win?.innerWidth ?? 800) - 16);
    const left = anchor ? Math.min(Math.max(8, anchor.left), (win?.innerWidth ?? 800) - width - 8) : (win?.innerWidth ?? 800) - width - 8;
    const top = anchor ? Math.min(anchor.bottom + 8, Math.max(8, (win?.innerHeight ?? 600) - 420)) : 8;
    this.panel.style.left = `${Math.max(8, left)}px`;
    this.panel.style.top = `${Math.max(8, top)}px`;
  }

  private showError(failure: { code: string; message: string } | null): void {
    this.error.hidden = failure === null;
    this.error.textContent = failure?.message ?? '';
    if (failure) this.error.dataset.code = failure.code;
    else delete this.error.dataset.code;
  }

  async generate(): Promise<void> {
    const session = this.session;
    const prompt = this.prompt.value.trim();
    if (!session || this.state === 'generating') return;
    if (!prompt) {
      this.showError({ code: 'refused', message: 'Write what the image should show first.' });
      return;
    }
    const n = Number(this.count.value) || 1;
    const size = this.size.value as ImageSize;
    const ticket = ++this.generation;
    this.showError(null);
    this.previews.replaceChildren();
    this.setState('generating');
    this.status.textContent = `Generating ${n} image${n > 1 ? 's' : ''} on your worker…`;
    let result: ImageGenerateResult;
    try {
      result = await this.deps.generate({ prompt, n, size, source: 'menu', url: session.pageUrl, title: session.pageTitle });
    } catch (error) {
      result = { ok: false, code: 'failed', message: `The extension could not ask your worker (${(error as Error)?.message ?? error}). Your prompt is kept: try again.` };
    }
    if (ticket !== this.generation) return; // closed or reopened meanwhile
    if (!result.ok) {
      this.setState('error');
      this.status.textContent = '';
      this.showError(result);
      return;
    }
    this.setState('ready');
    this.status.textContent = `${result.images.length} image${result.images.length > 1 ? 's' : ''} by ${result.model}.${result.notice ? ` ${result.notice}` : ''}`;
    this.renderPreviews(result, prompt);
  }

  private renderPreviews(result: Extract<ImageGenerateResult, { ok: true }>, prompt: string): void {
    const doc = this.doc;
    result.images.forEach((image, i) => {
      const url = toDataUrl(image);
      const card = el(doc, 'figure', { className: 'preview', testid: 'image-preview' });
      card.dataset.index = String(i);
      const img = el(doc, 'img', { testid: 'image-preview-img' });
      img.src = url;
      img.alt = `Generated image ${i + 1}: ${prompt}`;
      const row = el(doc, 'div', { className: 'row' });
      const insert = button(doc, 'Insert', 'image-insert', 'btn primary');
      insert.disabled = !this.session?.caret;
      insert.title = this.session?.caret ? 'Insert at the caret' : notAnEditorReason(doc);
      insert.addEventListener('click', () => this.insert(result.id, url, prompt));
      const download = button(doc, 'Download', 'image-download');
      download.addEventListener('click', () => this.download(result.id, url, downloadName(prompt, image.mimeType, i)));
      row.append(insert, download);
      card.append(img, row);
      this.previews.append(card);
    });
  }

  private insert(id: string, dataUrl: string, prompt: string): void {
    const caret = this.session?.caret;
    if (!caret) return;
    const done = insertImageAt(caret, dataUrl, prompt);
    if (!done.inserted) {
      this.showError({ code: 'insert', message: done.reason });
      return;
    }
    void this.deps.markUsed(id, 'inserted').catch(() => undefined);
    this.close();
  }

  private download(id: string, dataUrl: string, fileName: string): void {
    if (this.deps.download) this.deps.download(dataUrl, fileName);
    else {
      const a = el(this.doc, 'a');
      a.href = dataUrl;
      a.download = fileName;
      this.root.append(a);
      a.click();
      a.remove();
    }
    this.status.textContent = `Downloaded as ${fileName}.`;
    void this.deps.markUsed(id, 'downloaded').catch(() => undefined);
  }
}
