// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { captureCaret, insertImageAt, notAnEditorReason } from './insert-image';

const URL_A = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAgAAAABLbSs=';

function placeCaret(node: Node, offset: number, endNode = node, endOffset = offset) {
  const range = document.createRange();
  range.setStart(node, offset);
  range.setEnd(endNode, endOffset);
  const sel = document.getSelection()!;
  sel.removeAllRanges();
  sel.addRange(range);
}

describe('inserting an image at the caret', () => {
  beforeEach(() => {
    document.body.innerHTML = '<p id="outside">Page text</p><div id="editor" contenteditable="true"><p>Hello world</p><p>Second</p></div><textarea id="ta"></textarea>';
  });

  it('takes the caret in a contenteditable and puts the image there, with the prompt as alt text', () => {
    const text = document.querySelector('#editor p')!.firstChild as Text;
    placeCaret(text, 5); // "Hello| world"
    const caret = captureCaret(document)!;
    expect(caret.host.id).toBe('editor');
    const done = insertImageAt(caret, URL_A, 'An illustration <b>not markup</b>');
    expect(done.inserted).toBe(true);
    const img = document.querySelector('#editor img')!;
    expect(img.getAttribute('src')).toBe(URL_A);
    expect(img.getAttribute('alt')).toBe('An illustration <b>not markup</b>');
    expect(document.querySelector('#editor b')).toBeNull();
    expect(document.querySelector('#editor p')!.textContent).toBe('Hello world');
    // The image sits between "Hello" and " world".
    expect(img.previousSibling?.textContent).toBe('Hello');
  });

  it('keeps a selection: the image goes after it, the selected words stay', () => {
    const text = document.querySelector('#editor p')!.firstChild as Text;
    placeCaret(text, 0, text, 5); // "Hello" selected
    const done = insertImageAt(captureCaret(document)!, URL_A, 'alt');
    expect(done.inserted).toBe(true);
    expect(document.querySelector('#editor p')!.textContent).toBe('Hello world');
    expect(done.image!.previousSibling?.textContent).toBe('Hello');
  });

  it('tells the editor with an input event', () => {
    let inputs = 0;
    document.getElementById('editor')!.addEventListener('input', () => inputs++);
    placeCaret(document.querySelector('#editor p')!.firstChild!, 2);
    insertImageAt(captureCaret(document)!, URL_A, 'alt');
    expect(inputs).toBeGreaterThan(0);
  });

  it('no editor: no caret, and the reason in words', () => {
    placeCaret(document.getElementById('outside')!.firstChild!, 2);
    expect(captureCaret(document)).toBeNull();
    (document.getElementById('ta') as HTMLTextAreaElement).focus();
    expect(notAnEditorReason(document)).toMatch(/takes text only/);
  });

  it('an editor removed from the page is not written to', () => {
    placeCaret(document.querySelector('#editor p')!.firstChild!, 2);
    const caret = captureCaret(document)!;
    caret.host.remove();
    expect(insertImageAt(caret, URL_A, 'alt')).toMatchObject({ inserted: false, reason: expect.stringMatching(/download the image instead/) });
  });

  it('a caret the editor redrew falls back to the end of the editor', () => {
    placeCaret(document.querySelector('#editor p')!.firstChild!, 2);
    const caret = captureCaret(document)!;
    caret.host.innerHTML = '<p>Redrawn</p>';
    expect(insertImageAt(caret, URL_A, 'alt').inserted).toBe(true);
    expect(caret.host.lastElementChild?.tagName === 'IMG' || caret.host.querySelector('p')!.lastChild?.nodeName === 'IMG').toBe(true);
  });
});
