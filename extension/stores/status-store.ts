import { defineStore } from 'pinia';
import { ref } from 'vue';
import { StorageError, toStorageError } from '@/db/storage-error';

/** Errors the surfaces show: storage failures (quota…) get their own banner, anything else a notice. */
export const useStatusStore = defineStore('status', () => {
  const storageError = ref<string | null>(null);
  const notice = ref<string | null>(null);

  function report(error: unknown): void {
    const mapped = toStorageError(error);
    if (mapped instanceof StorageError) storageError.value = mapped.message;
    else notice.value = mapped instanceof Error ? mapped.message : String(mapped);
    console.error(error);
  }

  /** Runs an action, reporting (not throwing) its failure. */
  async function guard<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      report(error);
      return undefined;
    }
  }

  function dismiss(): void {
    storageError.value = null;
    notice.value = null;
  }

  return { storageError, notice, report, guard, dismiss };
});
