import { defineStore } from 'pinia';
import type { Highlight, Page } from '@shared/schemas/records';
import { getDb } from '@/db/database';
import { useLiveQuery } from './live-query';
import { useStatusStore } from './status-store';

export const POPUP_RECENT_COUNT = 5;

/** The popup's recent highlights and pages, live. */
export const useRecentStore = defineStore('recent', () => {
  const status = useStatusStore();
  const onError = (error: unknown) => status.report(error);
  const highlights = useLiveQuery<Highlight[]>(
    () => getDb().highlights.orderBy('createdAt').reverse().limit(POPUP_RECENT_COUNT).toArray(),
    [],
    onError,
  );
  const pages = useLiveQuery<Page[]>(() => getDb().pages.orderBy('capturedAt').reverse().limit(POPUP_RECENT_COUNT).toArray(), [], onError);
  return { highlights, pages };
});
