import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Highlight, HighlightColor } from '@shared/schemas/records';
import { getDb } from '@/db/database';
import { deleteHighlight, getHighlight, restoreHighlight, updateHighlight } from '@/highlights/repository';
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
  /** The highlight the last delete removed, until it is undone or the next delete replaces it. */
  const lastDeleted = ref<Highlight | null>(null);
  const remove = (id: string) =>
    status.guard(async () => {
      const before = await getHighlight(id);
      const deleted = await deleteHighlight(id);
      if (deleted && before) lastDeleted.value = before;
      return deleted;
    });
  const undoDelete = () =>
    status.guard(async () => {
      const highlight = lastDeleted.value;
      lastDeleted.value = null;
      if (highlight) await restoreHighlight(highlight);
    });
  const dismissUndo = () => (lastDeleted.value = null);

  return { orphans, saveNote, recolor, remove, lastDeleted, undoDelete, dismissUndo };
});
