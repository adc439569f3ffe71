/**
 * Where sync keeps its configuration (worker URL, device token) and status: chrome.storage.local —
 * per device, never synced by Chrome, readable from the background and every extension page, and
 * observable (storage.onChanged) so the options page and side panel follow the background's progress.
 * Tests use the in-memory area, which behaves the same (values are copied, listeners fire on set).
 */
export interface KeyValueArea {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  /** Calls `listener` with the new value whenever `key` changes; returns the unsubscribe function. */
  watch(key: string, listener: (value: unknown) => void): () => void;
}

export function chromeLocalArea(): KeyValueArea {
  const area = chrome.storage.local;
  return {
    async get(key) {
      return (await area.get(key))[key];
    },
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
    watch(key, listener) {
      const onChanged = (changes: Record<string, chrome.storage.StorageChange>, areaName: string) => {
        if (areaName === 'local' && key in changes) listener(changes[key]!.newValue);
      };
      chrome.storage.onChanged.addListener(onChanged);
      return () => chrome.storage.onChanged.removeListener(onChanged);
    },
  };
}

export function memoryArea(): KeyValueArea {
  const values = new Map<string, unknown>();
  const listeners = new Map<string, Set<(value: unknown) => void>>();
  const copy = (v: unknown) => (v === undefined ? undefined : structuredClone(v));
  return {
    async get(key) {
      return copy(values.get(key));
    },
    async set(key, value) {
      values.set(key, copy(value));
      for (const l of listeners.get(key) ?? []) l(copy(value));
    },
    async remove(key) {
      values.delete(key);
      for (const l of listeners.get(key) ?? []) l(undefined);
    },
    watch(key, listener) {
      const set = listeners.get(key) ?? new Set();
      set.add(listener);
      listeners.set(key, set);
      return () => set.delete(listener);
    },
  };
}

let defaultArea: KeyValueArea | undefined;

/** chrome.storage.local in the extension; tests install their own area. */
export function getArea(): KeyValueArea {
  defaultArea ??= chromeLocalArea();
  return defaultArea;
}

export function setAreaForTesting(area: KeyValueArea | undefined): void {
  defaultArea = area;
}
