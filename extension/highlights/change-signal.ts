/**
 * "Highlights of this page changed" — a signal from whoever wrote them (side panel, background, another
 * tab) to the content scripts showing that page, so they repaint without a reload.
 *
 * It rides on chrome.storage.local rather than tab messages: one write reaches every context that
 * listens (content scripts included, without knowing tab ids), and it works from extension pages that
 * write the database directly. The value is only a nudge — {url, at}; listeners re-read the
 * highlights through the background, so a lost or repeated signal costs nothing.
 */

export const CHANGE_SIGNAL_KEY = 'highlights.changed';

export interface ChangeSignal {
  url: string;
  at: number;
}

function storageArea(): chrome.storage.StorageArea | undefined {
  return typeof chrome !== 'undefined' ? chrome.storage?.local : undefined;
}

/** Best effort: a failed signal must never fail the write it follows. */
export async function signalHighlightsChanged(url: string): Promise<void> {
  const area = storageArea();
  if (!area) return;
  try {
    await area.set({ [CHANGE_SIGNAL_KEY]: { url, at: Date.now() } satisfies ChangeSignal });
  } catch {
    // storage unavailable (tests, quota): the content script also re-reads on tab focus.
  }
}

/** Calls `onChange(url)` for each signal; returns the unsubscribe function. */
export function onHighlightsChanged(onChange: (url: string) => void): () => void {
  if (typeof chrome === 'undefined' || !chrome.storage?.onChanged) return () => {};
  const listener = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
    const change = changes[CHANGE_SIGNAL_KEY];
    if (area !== 'local' || !change) return;
    const value = change.newValue as Partial<ChangeSignal> | undefined;
    if (typeof value?.url === 'string') onChange(value.url);
  };
  chrome.storage.onChanged.addListener(listener);
  return () => chrome.storage.onChanged.removeListener(listener);
}
