import { defineStore } from 'pinia';
import { ref } from 'vue';
import { deleteEverything, deleteSite, type EraseCounts } from '@/data-erase/erase';
import { exportAll, exportToJson } from '@/export/export-json';
import { exportToMarkdown } from '@/export/export-markdown';
import { downloadText, exportFilename } from '@/export/download';
import { useStatusStore } from './status-store';

const describe = (counts: EraseCounts) =>
  `Deleted ${counts.highlights} highlights, ${counts.pages} pages, ${counts.visits} visits and ${counts.searches} searches.`;

/** Options: export and delete. */
export const useDataStore = defineStore('data', () => {
  const status = useStatusStore();
  const message = ref<string | null>(null);
  const busy = ref(false);

  async function run(action: () => Promise<string>): Promise<void> {
    busy.value = true;
    message.value = null;
    try {
      const done = await status.guard(action);
      if (done) message.value = done;
    } finally {
      busy.value = false;
    }
  }

  const exportJson = () =>
    run(async () => {
      downloadText(exportFilename('json'), exportToJson(await exportAll()), 'application/json');
      return 'Exported everything as JSON.';
    });
  const exportMarkdown = () =>
    run(async () => {
      downloadText(exportFilename('md'), exportToMarkdown(await exportAll()), 'text/markdown');
      return 'Exported everything as Markdown.';
    });
  const eraseSite = (site: string) => run(async () => describe(await deleteSite(site)));
  const eraseAll = () => run(async () => describe(await deleteEverything()));

  return { message, busy, exportJson, exportMarkdown, eraseSite, eraseAll };
});
