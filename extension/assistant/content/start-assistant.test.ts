// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PageAssistant } from './start-assistant';
import type { PortLike } from './action-client';

const life = {
  addEventListener: (t: EventTarget, type: string, l: (e: Event) => void, o?: AddEventListenerOptions) => t.addEventListener(type, l, o),
  setTimeout: (h: () => void, ms: number) => setTimeout(h, ms) as unknown as number,
};

function select(node: Node, start: number, end: number): void {
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, end);
  const sel = document.getSelection()!;
  sel.removeAllRanges();
  sel.addRange(range);
}

describe('what a command works on', () => {
  let requests: unknown[];
  let highlight: ReturnType<typeof vi.fn<(range: Range) => Promise<unknown>>>;
  let assistant: PageAssistant;
  beforeEach(() => {
    document.body.innerHTML = '<p id="p">Tides follow the moon.</p><textarea id="t">my draft</textarea>';
    requests = [];
    highlight = vi.fn(async () => 'hl');
    const connect = (): PortLike => ({
      postMessage: (m) => void requests.push(m),
      disconnect: () => undefined,
      onMessage: { addListener: () => undefined },
      onDisconnect: { addListener: () => undefined },
    });
    assistant = new PageAssistant(document, life, { connect, rate: async () => undefined, openPanel: async () => undefined }, { highlight });
  });

  it('a selection in the page wins over a field that still has the focus', async () => {
    (document.getElementById('t') as HTMLTextAreaElement).focus();
    select(document.getElementById('p')!.firstChild!, 0, 5);
    expect(await assistant.command({ action: 'explain', option: '', text: 'Tides', editable: false })).toBe(true);
    expect(requests[0]).toMatchObject({ action: 'explain', text: 'Tides', target: 'selection' });
  });

  it('a click Chrome reports as in an editable field works on the field', async () => {
    const area = document.getElementById('t') as HTMLTextAreaElement;
    area.focus();
    area.setSelectionRange(0, 2);
    await assistant.command({ action: 'improve', option: '', text: 'my', editable: true });
    expect(requests[0]).toMatchObject({ action: 'improve', text: 'my', target: 'editable' });
  });

  it('page actions take the page text; Ask opens the question box without running', async () => {
    await assistant.command({ action: 'summarize-page', option: '', text: '', editable: false });
    expect(requests[0]).toMatchObject({ action: 'summarize-page', target: 'page' });
    expect((requests[0] as { text: string }).text).toContain('Tides follow the moon.');
    await assistant.command({ action: 'ask', option: 'page', text: '', editable: false });
    expect(requests).toHaveLength(1);
    expect(assistant.bubble.isOpen).toBe(true);
  });

  it('Save highlight highlights the live selection; nothing selected does nothing', async () => {
    expect(await assistant.command({ action: 'save-highlight', option: '', text: '', editable: false })).toBe(false);
    select(document.getElementById('p')!.firstChild!, 6, 12);
    expect(await assistant.command({ action: 'save-highlight', option: '', text: '', editable: false })).toBe(true);
    expect((highlight.mock.calls[0]![0] as Range).toString()).toBe('follow');
  });
});
