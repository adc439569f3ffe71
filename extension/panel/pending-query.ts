/**
 * A query handed to the side panel by whoever opened it (the overlay's Ask, the popup's search box).
 * It waits in chrome.storage.session because the panel may not exist yet when it is set, and a panel
 * already open hears it through storage.onChanged.
 */
export const PENDING_QUERY_KEY = 'panel.pendingQuery';

export async function stashPendingQuery(query: string): Promise<void> {
  await chrome.storage.session.set({ [PENDING_QUERY_KEY]: query });
}

/** Reads the pending query and clears it, so reopening the panel later doesn't repeat it. */
export async function takePendingQuery(): Promise<string | undefined> {
  const value = (await chrome.storage.session.get(PENDING_QUERY_KEY))[PENDING_QUERY_KEY];
  if (typeof value !== 'string') return undefined;
  await chrome.storage.session.remove(PENDING_QUERY_KEY);
  return value;
}

/** Calls `listener` whenever a new query is stashed while the panel is open. Returns an unsubscribe. */
export function onPendingQuery(listener: (query: string) => void): () => void {
  const handle = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
    if (area !== 'session') return;
    const value = changes[PENDING_QUERY_KEY]?.newValue;
    if (typeof value === 'string') {
      listener(value);
      void chrome.storage.session.remove(PENDING_QUERY_KEY);
    }
  };
  chrome.storage.onChanged.addListener(handle);
  return () => chrome.storage.onChanged.removeListener(handle);
}
