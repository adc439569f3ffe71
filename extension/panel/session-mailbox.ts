/**
 * A one-slot mailbox for the side panel in chrome.storage.session: whoever opens the panel leaves a
 * string (a query, a conversation id), because the panel may not exist yet when it is set; a panel
 * that starts takes it, and a panel already open hears it through storage.onChanged. Taking clears it,
 * so reopening the panel later doesn't repeat it.
 */
export interface SessionMailbox {
  readonly key: string;
  put(value: string): Promise<void>;
  take(): Promise<string | undefined>;
  /** Calls `listener` with each value put while listening. Returns an unsubscribe. */
  listen(listener: (value: string) => void): () => void;
}

export function sessionMailbox(key: string): SessionMailbox {
  return {
    key,
    put: async (value) => {
      await chrome.storage.session.set({ [key]: value });
    },
    take: async () => {
      const value = (await chrome.storage.session.get(key))[key];
      if (typeof value !== 'string') return undefined;
      await chrome.storage.session.remove(key);
      return value;
    },
    listen: (listener) => {
      const handle = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
        const value = changes[key]?.newValue;
        if (area !== 'session' || typeof value !== 'string') return;
        listener(value);
        void chrome.storage.session.remove(key);
      };
      chrome.storage.onChanged.addListener(handle);
      return () => chrome.storage.onChanged.removeListener(handle);
    },
  };
}
