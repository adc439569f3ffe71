import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearHandlers, dispatch } from '@/messaging/router';
import { registerPanelHandlers } from './handlers';
import { PENDING_QUERY_KEY, onPendingQuery, takePendingQuery } from './pending-query';
import { revealInTab } from './open-result';

type Listener = (changes: Record<string, { newValue?: unknown }>, area: string) => void;

function fakeChrome() {
  const session = new Map<string, unknown>();
  const listeners = new Set<Listener>();
  const log: string[] = [];
  const chrome = {
    log,
    session,
    sidePanel: { open: vi.fn(async (_: unknown) => void log.push('open')) },
    tabs: { create: vi.fn(async (props: unknown) => ({ id: 99, ...(props as object) })), sendMessage: vi.fn() },
    runtime: { getURL: (p: string) => `chrome-extension://abc${p}` },
    storage: {
      session: {
        get: async (key: string) => (session.has(key) ? { [key]: session.get(key) } : {}),
        set: async (items: Record<string, unknown>) => {
          log.push('stash');
          for (const [k, v] of Object.entries(items)) {
            session.set(k, v);
            listeners.forEach((l) => l({ [k]: { newValue: v } }, 'session'));
          }
        },
        remove: async (key: string) => void session.delete(key),
      },
      onChanged: { addListener: (l: Listener) => listeners.add(l), removeListener: (l: Listener) => listeners.delete(l) },
    },
  };
  return chrome;
}

let chrome: ReturnType<typeof fakeChrome>;
beforeEach(() => {
  chrome = fakeChrome();
  vi.stubGlobal('chrome', chrome);
  clearHandlers();
  registerPanelHandlers();
});
afterEach(() => {
  vi.unstubAllGlobals();
  clearHandlers();
});

const sender = { id: 'test-extension-id', url: 'https://example.com/a', tab: { id: 7, windowId: 3, index: 2, url: 'https://example.com/a' } } as chrome.runtime.MessageSender;

describe('panel.open', () => {
  it('opens the side panel for the sender tab before awaiting anything, then stashes the query', async () => {
    const reply = await dispatch({ type: 'panel.open', payload: { query: 'calico lobster' } }, sender);
    expect(reply).toEqual({ ok: true, data: { opened: true } });
    expect(chrome.sidePanel.open).toHaveBeenCalledWith({ tabId: 7 });
    expect(chrome.log).toEqual(['open', 'stash']); // the gesture is only good for the first turn
    expect(await takePendingQuery()).toBe('calico lobster');
    expect(chrome.session.has(PENDING_QUERY_KEY)).toBe(false); // taken once
  });

  it('falls back to the panel page in a tab when Chrome refuses (no gesture)', async () => {
    chrome.sidePanel.open.mockRejectedValueOnce(new Error('sidePanel.open() may only be called in response to a user gesture.'));
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const reply = await dispatch({ type: 'panel.open', payload: { query: 'q' } }, sender);
    expect(reply).toEqual({ ok: true, data: { opened: true } });
    expect(chrome.tabs.create).toHaveBeenCalledWith({ url: 'chrome-extension://abc/sidepanel.html', index: 3, windowId: 3 });
    expect(await takePendingQuery()).toBe('q');
  });

  it('tells an open panel about a new query', async () => {
    const heard: string[] = [];
    const stop = onPendingQuery((q) => heard.push(q));
    await dispatch({ type: 'panel.open', payload: { query: 'second question' } }, sender);
    stop();
    expect(heard).toEqual(['second question']);
  });
});

describe('revealInTab', () => {
  it('retries until the content script has the highlight', async () => {
    chrome.tabs.sendMessage
      .mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'))
      .mockResolvedValueOnce({ ok: true, data: { found: false } })
      .mockResolvedValueOnce({ ok: true, data: { found: true } });
    expect(await revealInTab(5, 'hl-0000001', 10, 1)).toBe(true);
    expect(chrome.tabs.sendMessage).toHaveBeenCalledTimes(3);
    expect(chrome.tabs.sendMessage).toHaveBeenCalledWith(5, { type: 'highlight.reveal', payload: { id: 'hl-0000001' } });
  });

  it('gives up after a bounded number of attempts', async () => {
    chrome.tabs.sendMessage.mockRejectedValue(new Error('no receiver'));
    expect(await revealInTab(5, 'hl-0000001', 4, 1)).toBe(false);
    expect(chrome.tabs.sendMessage).toHaveBeenCalledTimes(4);
  });
});
