import { defineStore } from 'pinia';
import { ref } from 'vue';
import { deleteEverything, deleteSite, type EraseCounts } from '@/data-erase/erase';
import { exportAll, exportToJson } from '@/export/export-json';
import { exportToMarkdown } from '@/export/export-markdown';
import { downloadText, exportFilename } from '@/export/download';
import { useStatusStore } from './status-store';

const describe = (counts: EraseCounts) =>
  `Deleted ${counts.highlights} highlights, ${counts.pages} pages, ${counts.visits} visits and ${counts.searches} searches.`;

/** Which section of the options page an action belongs to: its result is shown there. */
export type ActionPlace = 'export' | 'delete';

/** Options: export and delete. */
export const useDataStore = defineStore('data', () => {
  const status = useStatusStore();
  /** The last action's result, shown next to the control that started it; cleared when any action starts. */
  const message = ref<{ text: string; place: ActionPlace } | null>(null);
  const busy = ref(false);

  function clearMessage(): void {
    message.value = null;
  }

  async function run(place: ActionPlace, action: () => Promise<string>): Promise<void> {
    busy.value = true;
    message.value = null;
    try {
      const done = await status.guard(action);
      if (done) message.value = { text: done, place };
    } finally {
      busy.value = false;
    }
  }

  const exportJson = () =>
    run('export', async () => {
      downloadText(exportFilename('json'), exportToJson(await exportAll()), 'application/json');
      return 'Exported everything as JSON.';
    });
  const exportMarkdown = () =>
    run('export', async () => {
      downloadText(exportFilename('md'), exportToMarkdown(await exportAll()), 'text/markdown');
      return 'Exported everything as Markdown.';
    });
  const eraseSite = (site: string) => run('delete', async () => describe(await deleteSite(site)));
  const eraseAll = () => run('delete', async () => describe(await deleteEverything()));

  return { message, busy, clearMessage, exportJson, exportMarkdown, eraseSite, eraseAll };
});
