// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { captureEditable } from './editable-target';

describe('writing a rewrite back into a field', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('textarea: Replace swaps the selected part, Undo restores value and selection exactly', () => {
    const area = document.createElement('textarea');
    area.value = 'Dear team,\nTheir going too the store.\nBest';
    document.body.append(area);
    area.focus();
    area.setSelectionRange(11, 37);
    const inputs: string[] = [];
    area.addEventListener('input', () => inputs.push(area.value));
    const target = captureEditable(document)!;
    expect(target.kind).toBe('text-field');
    expect(target.text).toBe('Their going too the store.');
    target.replace('They are going to the store.');
    expect(area.value).toBe('Dear team,\nThey are going to the store.\nBest');
    expect(inputs.length).toBeGreaterThan(0);
    expect(target.undo()).toBe(true);
    expect(area.value).toBe('Dear team,\nTheir going too the store.\nBest');
    expect([area.selectionStart, area.selectionEnd]).toEqual([11, 37]);
    expect(target.undo()).toBe(false);
  });

  it('textarea with nothing selected works on all of it; Insert below keeps the original above', () => {
    const area = document.createElement('textarea');
    area.value = 'first draft';
    document.body.append(area);
    area.focus();
    area.setSelectionRange(3, 3);
    const target = captureEditable(document)!;
    expect(target.text).toBe('first draft');
    target.insertBelow('second draft');
    expect(area.value).toBe('first draft\n\nsecond draft');
    target.undo();
    expect(area.value).toBe('first draft');
  });

  it('text input: Replace and Undo', () => {
    const input = document.createElement('input');
    input.type = 'text';
    input.value = 'helo wrld';
    document.body.append(input);
    input.focus();
    const target = captureEditable(document)!;
    target.replace('hello world');
    expect(input.value).toBe('hello world');
    target.undo();
    expect(input.value).toBe('helo wrld');
  });

  it('does not undo over edits made after the replace', () => {
    const area = document.createElement('textarea');
    area.value = 'abc';
    document.body.append(area);
    area.focus();
    const target = captureEditable(document)!;
    target.replace('xyz');
    area.value = 'xyz and more typing';
    expect(target.undo()).toBe(false);
    expect(area.value).toBe('xyz and more typing');
  });

  it('contenteditable: Replace the selection, Undo restores the exact markup', () => {
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    editor.innerHTML = '<p>Hello <b>bold</b> wrold, how r u?</p><p>Second <i>para</i>.</p>';
    document.body.append(editor);
    const original = editor.innerHTML;
    const text = editor.querySelector('p')!.lastChild as Text; // " wrold, how r u?"
    const range = document.createRange();
    range.setStart(text, 1);
    range.setEnd(text, 16);
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    const target = captureEditable(document)!;
    expect(target.kind).toBe('rich-text');
    expect(target.text).toBe('wrold, how r u?');
    target.replace('world, how are you?');
    expect(editor.textContent).toBe('Hello bold world, how are you?Second para.');
    expect(target.undo()).toBe(true);
    expect(editor.innerHTML).toBe(original);
  });

  it('contenteditable with nothing selected: works on all of it; Insert below adds text, never markup', () => {
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    editor.innerHTML = '<p>notes</p>';
    document.body.append(editor);
    editor.focus();
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    const caret = document.createRange();
    caret.setStart(editor.querySelector('p')!.firstChild!, 2);
    sel.addRange(caret);
    const target = captureEditable(document)!;
    expect(target.text).toBe('notes');
    target.insertBelow('<img src=x onerror="alert(1)"> prose');
    expect(editor.querySelector('img')).toBeNull();
    expect(editor.lastElementChild!.textContent).toBe('<img src=x onerror="alert(1)"> prose');
    target.undo();
    expect(editor.innerHTML).toBe('<p>notes</p>');
  });

  it('no field: null', () => {
    document.body.innerHTML = '<p>plain text</p>';
    expect(captureEditable(document)).toBeNull();
  });
});
