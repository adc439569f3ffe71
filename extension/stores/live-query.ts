import { liveQuery } from 'dexie';
import { getCurrentScope, onScopeDispose, shallowRef, type ShallowRef } from 'vue';

/**
 * A ref that follows a Dexie query. Dexie re-runs the query when any extension context (the background
 * capturing a page, another panel) commits to the tables it read, so surfaces stay live without polling.
 */
export function useLiveQuery<T>(querier: () => T | Promise<T>, initial: T, onError?: (error: unknown) => void): ShallowRef<T> {
  const value = shallowRef(initial) as ShallowRef<T>;
  const subscription = liveQuery(querier).subscribe({
    next: (next) => {
      value.value = next;
    },
    error: (error) => onError?.(error),
  });
  if (getCurrentScope()) onScopeDispose(() => subscription.unsubscribe());
  return value;
}
