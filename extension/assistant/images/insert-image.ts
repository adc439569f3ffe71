import { editingHost } from '../content/editable-target';

/**
 * Putting a generated image into the editor the person is writing in, at their caret.
 *
 * The caret is taken when the composer opens (the right-click), because pressing the composer's
 * buttons moves the focus; a selection is kept, never replaced — the image goes right after it.
 * The image goes in through `execCommand('insertImage')` where the browser takes it: that is the edit a
 * person's paste makes, so the page's editor sees an `input` event and its own Ctrl+Z removes it. Where
 * it is refused, an <img> is placed at the caret and an `input` event is dispatched. Only a URL and an
 * alt text are ever written: nothing from the prompt or the page goes in as markup.
 */

export interface ImageCaret {
  host: HTMLElement;
  range: Range;
}

export interface InsertResult {
  inserted: boolean;
  reason: string;
  image?: HTMLImageElement;
}

/** The caret (or selection) in a contenteditable editor, or null when the person is not in one. */
export function captureCaret(doc: Document): ImageCaret | null {
  const sel = doc.getSelection();
  const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
  const host = editingHost(range?.commonAncestorContainer ?? null);
  if (host && range && host.isConnected) return { host, range: range.cloneRange() };
  const active = doc.activeElement as HTMLElement | null;
  const focused = active?.isContentEditable ? editingHost(active) : null;
  if (!focused) return null;
  const end = doc.createRange();
  end.selectNodeContents(focused);
  end.collapse(false);
  return { host: focused, range: end };
}

/** Why an image can't go where the person is typing (a text field takes text only). */
export function notAnEditorReason(doc: Document): string {
  const active = doc.activeElement;
  if (active && (active.tagName === 'TEXTAREA' || active.tagName === 'INPUT')) return 'This field takes text only: download the image and add it with the site’s own image button.';
  return 'Put the caret in the editor where the image should go, then insert it.';
}

function imagesIn(host: HTMLElement): Set<HTMLImageElement> {
  return new Set(Array.from(host.querySelectorAll('img')));
}

export function insertImageAt(caret: ImageCaret, dataUrl: string, alt: string): InsertResult {
  const { host } = caret;
  if (!host.isConnected) return { inserted: false, reason: 'The editor is gone from the page (it was closed or redrawn): download the image instead.' };
  const doc = host.ownerDocument;
  const range = caret.range.cloneRange();
  // A range the editor redrew under us falls back to the end of the editor.
  if (!host.contains(range.startContainer) || !range.startContainer.isConnected) {
    range.selectNodeContents(host);
  }
  range.collapse(false);
  host.focus({ preventScroll: true });
  const sel = doc.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);

  const before = imagesIn(host);
  let image: HTMLImageElement | undefined;
  try {
    if (typeof doc.execCommand === 'function' && doc.execCommand('insertImage', false, dataUrl)) {
      image = Array.from(imagesIn(host)).find((img) => !before.has(img) && img.getAttribute('src') === dataUrl);
    }
  } catch {
    // Falls through to placing the element ourselves.
  }
  if (!image) {
    image = doc.createElement('img');
    image.setAttribute('src', dataUrl);
    const at = doc.getSelection()?.rangeCount ? doc.getSelection()!.getRangeAt(0) : range;
    const target = host.contains(at.startContainer) ? at : range;
    target.collapse(false);
    target.insertNode(image);
    const InputEventCtor = doc.defaultView?.InputEvent ?? InputEvent;
    host.dispatchEvent(new InputEventCtor('input', { bubbles: true, composed: true, inputType: 'insertFromPaste', data: null }));
  }
  image.setAttribute('alt', alt.slice(0, 500));
  // The caret goes after the image, so the person can carry on writing.
  const after = doc.createRange();
  after.setStartAfter(image);
  after.collapse(true);
  sel?.removeAllRanges();
  sel?.addRange(after);
  return { inserted: true, reason: '', image };
}
