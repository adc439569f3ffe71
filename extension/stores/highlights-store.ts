import { defineStore } from 'pinia';
import type { Highlight, HighlightColor } from '@shared/schemas/records';
import { getDb } from '@/db/database';
import { deleteHighlight, updateHighlight } from '@/highlights/repository';
import { useLiveQuery } from './live-query';
import { useStatusStore } from './status-store';

/** Highlight edits from the side panel, and the highlights that could not be found on their page. */
export const useHighlightsStore = defineStore('highlights', () => {
  const status = useStatusStore();
  const orphans = useLiveQuery<Highlight[]>(
    async () => (await getDb().highlights.where('anchorStatus').equals('orphan').toArray()).sort((a, b) => b.createdAt - a.createdAt),
    [],
    (error) => status.report(error),
  );

  const saveNote = (id: string, note: string) => status.guard(() => updateHighlight(id, { note }));
  const recolor = (id: string, color: HighlightColor) => status.guard(() => updateHighlight(id, { color }));
  const remove = (id: string) => status.guard(() => deleteHighlight(id));

  return { orphans, saveNote, recolor, remove };
});
