// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { extractPage, stripUserInput } from './extract-page';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html') as unknown as Document;

describe('user input is never captured', () => {
  const paragraph = 'Lobsters are decapod crustaceans of the family Nephropidae with long bodies and muscular tails. '.repeat(8);
  const html = `<!doctype html><html lang="en"><head><title>Login and notes</title></head><body><article>
    <h1>About lobsters</h1>
    <p>${paragraph}</p>
    <form><label>Password <input type="password" value="hunter2-SECRET"></label>
      <input type="text" name="card" value="4111-1111-CARD">
      <textarea name="draft">my private DRAFT text</textarea>
      <select><option selected>OPTION-SECRET</option></select></form>
    <div contenteditable="true">EDITABLE-SECRET notes</div>
    <div contenteditable="">EMPTY-ATTR-SECRET</div>
    <div role="textbox">ROLE-TEXTBOX-SECRET</div>
    <p>${paragraph}</p>
    <div contenteditable="false">visible non-editable words</div>
  </article></body></html>`;

  it('leaves out passwords, field values, drafts and editable regions', () => {
    const doc = parse(html);
    // Values typed after load live in properties, not markup: set them too.
    (doc.querySelector('input[type=password]') as HTMLInputElement).value = 'typed-PASSWORD';
    (doc.querySelector('textarea') as HTMLTextAreaElement).value = 'typed-DRAFT';
    const result = extractPage(doc);
    if (!('page' in result)) throw new Error(`not extracted: ${JSON.stringify(result)}`);
    const all = JSON.stringify(result.page);
    for (const secret of ['hunter2', 'SECRET', 'CARD', 'DRAFT', 'PASSWORD']) expect(all).not.toContain(secret);
    expect(result.page.text).toContain('Lobsters are decapod crustaceans');
    expect(result.page.text).toContain('visible non-editable words');
  });

  it('stripUserInput removes every kind of field', () => {
    const doc = parse(html);
    stripUserInput(doc);
    expect(doc.querySelectorAll('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role=textbox]')).toHaveLength(0);
    expect(doc.querySelectorAll('[contenteditable="false"]')).toHaveLength(1);
  });
});

