// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rangeFromOffsets, textOf } from '@/anchoring/text-offsets';
import { OVERLAY_CSS } from './overlay-styles';
import { OverlayController, OVERLAY_TAG, actionableSelection, type OverlayActions } from './overlay';
import { OverlayView, type TrustCheck } from './overlay-view';
import { paint } from './painter';
import { testLifetime } from './test-lifetime';

let life: ReturnType<typeof testLifetime>;
let shadow: ShadowRoot;
let actions: { [K in keyof OverlayActions]: ReturnType<typeof vi.fn> };
let controller: OverlayController;

// happy-dom's events are never `isTrusted` (like a page script's): most tests stand in for the person
// by trusting every event; 'page scripts' below keeps the real check.
const person: TrustCheck = () => true;

const settle = () => new Promise((r) => setTimeout(r, 220));
const q = (testId: string) => shadow.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

let container: HTMLElement;
let host: HTMLElement;

function selectPhrase(phrase: string): Range {
  const text = textOf(document.body);
  const at = text.indexOf(phrase);
  const range = rangeFromOffsets(document.body, at, at + phrase.length)!;
  const sel = document.getSelection()!;
  sel.removeAllRanges();
  sel.addRange(range);
  document.dispatchEvent(new Event('selectionchange'));
  return range;
}

beforeEach(() => {
  document.body.innerHTML = `<p id="p">Lobsters molt <b>many times</b> as they grow.</p>
    <input id="field" value="typed words here"><textarea id="area">text in a box</textarea>
    <div contenteditable="true" id="editor">editable words</div>`;
  host = document.createElement(OVERLAY_TAG);
  shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = OVERLAY_CSS;
  container = document.createElement('div');
  shadow.append(style, container);
  document.body.append(host);
  life = testLifetime();
  actions = {
    create: vi.fn(async () => 'hl_created1'),
    recolor: vi.fn(async () => undefined),
    saveNote: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    ask: vi.fn(async () => undefined),
    lookup: vi.fn(() => ({ color: 'green', note: 'old note' })),
  };
  controller = new OverlayController(life, document, { view: new OverlayView(container, person), host }, actions as unknown as OverlayActions, person);
});

afterEach(() => {
  life.invalidate();
  document.getSelection()?.removeAllRanges();
});

describe('overlay', () => {
  it('shows the toolbar after a text selection and highlights it in the chosen colour', async () => {
    const range = selectPhrase('molt many times');
    await settle();
    expect(q('overlay')!.hidden).toBe(false);
    for (const c of ['yellow', 'green', 'blue', 'pink', 'purple']) expect(q(`overlay-color-${c}`)).not.toBeNull();
    expect(q('overlay-note')).not.toBeNull();
    expect(q('overlay-ask')).not.toBeNull();

    q('overlay-color-blue')!.click();
    await vi.waitFor(() => expect(actions.create).toHaveBeenCalledTimes(1));
    const [passed, color] = actions.create.mock.calls[0]!;
    expect((passed as Range).toString()).toBe(range.toString());
    expect(color).toBe('blue');
    await vi.waitFor(() => expect(q('overlay')).toBeNull());
    expect(document.getSelection()!.isCollapsed).toBe(true);
  });

  it('saves once however often the colour is clicked while saving', async () => {
    let finish: (id: string) => void = () => {};
    actions.create.mockImplementation(() => new Promise<string>((resolve) => (finish = resolve)));
    selectPhrase('as they grow');
    await settle();
    q('overlay-color-yellow')!.click();
    q('overlay-color-yellow')!.click();
    finish('hl_once123');
    await vi.waitFor(() => expect(q('overlay')).toBeNull());
    expect(actions.create).toHaveBeenCalledTimes(1);
  });

  it('hides the toolbar when the selection goes away', async () => {
    selectPhrase('Lobsters');
    await settle();
    expect(q('overlay')).not.toBeNull();
    document.getSelection()!.removeAllRanges();
    document.dispatchEvent(new Event('selectionchange'));
    await settle();
    expect(q('overlay')).toBeNull();
  });

  it('ignores selections in fields, editors and blank selections', () => {
    document.getElementById('area')!.focus();
    selectPhrase('text in a box');
    expect(actionableSelection(document)).toBeNull();
    (document.activeElement as HTMLElement).blur();
    selectPhrase('editable words');
    expect(actionableSelection(document)).toBeNull();
    selectPhrase('as they grow');
    expect(actionableSelection(document)!.toString()).toBe('as they grow');
  });

  it('asks about the selection (whitespace squashed)', async () => {
    selectPhrase('molt many times');
    await settle();
    q('overlay-ask')!.click();
    // The selection goes along: the answer bubble anchors to it.
    await vi.waitFor(() => expect(actions.ask).toHaveBeenCalledWith('molt many times', expect.objectContaining({ collapsed: false })));
  });

  it('Note highlights, then saves the typed note', async () => {
    selectPhrase('as they grow');
    await settle();
    q('overlay-note')!.click();
    await vi.waitFor(() => expect(q('overlay-note-input')).not.toBeNull());
    expect(actions.create).toHaveBeenCalledWith(expect.anything(), 'yellow');
    const input = q('overlay-note-input') as HTMLTextAreaElement;
    input.value = 'Shells are shed <b>whole</b>';
    q('overlay-note-save')!.click();
    await vi.waitFor(() => expect(actions.saveNote).toHaveBeenCalledWith('hl_created1', 'Shells are shed <b>whole</b>'));
    await vi.waitFor(() => expect(q('overlay')).toBeNull());
  });

  it('a click on a painted highlight opens the edit menu: recolour, note, delete', async () => {
    const text = textOf(document.body);
    const at = text.indexOf('many times');
    const [el] = paint(rangeFromOffsets(document.body, at, at + 10)!, 'hl_painted', 'green');
    el!.click();
    expect(q('overlay-edit')).not.toBeNull();
    expect(q('overlay-color-green')!.getAttribute('aria-pressed')).toBe('true');

    q('overlay-color-pink')!.click();
    await vi.waitFor(() => expect(actions.recolor).toHaveBeenCalledWith('hl_painted', 'pink'));

    el!.click();
    q('overlay-note')!.click();
    const input = q('overlay-note-input') as HTMLTextAreaElement;
    expect(input.value).toBe('old note');
    input.value = 'new note';
    q('overlay-note-save')!.click();
    await vi.waitFor(() => expect(actions.saveNote).toHaveBeenCalledWith('hl_painted', 'new note'));

    el!.click();
    q('overlay-delete')!.click();
    await vi.waitFor(() => expect(actions.remove).toHaveBeenCalledWith('hl_painted'));
  });

  it('keeps notes and errors as text, never HTML', async () => {
    actions.lookup.mockReturnValue({ color: 'yellow', note: '<img src=x onerror="window.pwned=1">' });
    actions.recolor.mockRejectedValue(new Error('<b>quota</b> exceeded'));
    const [el] = paint(rangeFromOffsets(document.body, 0, 8)!, 'hl_x', 'yellow');
    el!.click();
    q('overlay-note')!.click();
    expect((q('overlay-note-input') as HTMLTextAreaElement).value).toBe('<img src=x onerror="window.pwned=1">');
    q('overlay-color-blue')!.click();
    await vi.waitFor(() => expect(shadow.querySelector('[role="alert"]')?.textContent).toBe('<b>quota</b> exceeded'));
    expect(shadow.querySelector('img, b')).toBeNull();
  });

  it('Escape and a press elsewhere close the panel', async () => {
    selectPhrase('Lobsters');
    await settle();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(q('overlay')).toBeNull();
    const [el] = paint(rangeFromOffsets(document.body, 0, 8)!, 'hl_y', 'yellow');
    document.getSelection()!.removeAllRanges(); // what the real click's mousedown does
    el!.click();
    expect(q('overlay-edit')).not.toBeNull();
    document.getElementById('p')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, composed: true }));
    expect(q('overlay-edit')).toBeNull();
    expect(controller.view.current).toBe('hidden');
  });

  it('a forged wrapper the page makes itself is not ours to act on, even on the person’s click', () => {
    const fake = document.createElement('calico-highlight');
    fake.setAttribute('data-highlight-id', 'hl_guess');
    fake.textContent = 'forged';
    document.body.append(fake);
    fake.click();
    expect(q('overlay-edit')).toBeNull();
    expect(actions.lookup).not.toHaveBeenCalled();
  });
});

describe('page scripts (issue 9): only the person’s own input works the overlay', () => {
  beforeEach(() => {
    // The real trust check: events a script makes (all of happy-dom's) are not the person's.
    life.invalidate();
    container.replaceChildren();
    life = testLifetime();
    controller = new OverlayController(life, document, { view: new OverlayView(container), host }, actions as unknown as OverlayActions);
  });

  it('a synthetic click on a painted highlight opens no menu and shows no note', async () => {
    actions.lookup.mockReturnValue({ color: 'green', note: 'my private note' });
    const [el] = paint(rangeFromOffsets(document.body, 0, 8)!, 'hl_secret', 'green');
    el!.click();
    el!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect(q('overlay-edit')).toBeNull();
    expect(q('overlay-note-input')).toBeNull();
    expect(actions.lookup).not.toHaveBeenCalled();
    // The painted wrapper carries neither the id nor the note for a page to read.
    expect(el!.outerHTML).not.toContain('hl_secret');
    expect(el!.outerHTML).not.toContain('private');
    expect([...el!.attributes].map((a) => a.name).sort()).toEqual(['data-color', 'style']);
  });

  it('synthetic clicks on the toolbar’s buttons make, annotate or ask nothing', async () => {
    selectPhrase('molt many times');
    await settle();
    expect(q('overlay')).not.toBeNull(); // a selection still shows the toolbar…
    q('overlay-color-blue')!.click(); // …but a script can't press it
    q('overlay-note')!.click();
    q('overlay-ask')!.click();
    await settle();
    expect(actions.create).not.toHaveBeenCalled();
    expect(actions.ask).not.toHaveBeenCalled();
    expect(q('overlay-note-input')).toBeNull();
  });

});
