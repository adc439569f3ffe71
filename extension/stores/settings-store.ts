import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Settings } from '@shared/schemas/records';
import { InvalidDenylistError, defaultSettings, getSettings, setDenylist, setPaused, validateDenylist } from '@/settings/settings-repository';
import { useLiveQuery } from './live-query';
import { useStatusStore } from './status-store';

/** Pause and denylist, live across surfaces (pausing in the popup shows in an open options page). */
export const useSettingsStore = defineStore('settings', () => {
  const status = useStatusStore();
  const settings = useLiveQuery<Settings>(() => getSettings(), defaultSettings(), (error) => status.report(error));
  const loaded = ref(false);
  void getSettings().then(() => (loaded.value = true), () => undefined);
  /** Patterns the last save refused, shown beside the editor. */
  const invalid = ref<{ pattern: string; error: string }[]>([]);
  const saved = ref(false);

  async function togglePause(paused: boolean): Promise<void> {
    await status.guard(() => setPaused(paused));
  }

  const linesOf = (text: string) => text.split(/\r?\n/);

  function check(text: string): { pattern: string; error: string }[] {
    return validateDenylist(linesOf(text)).invalid;
  }

  async function saveDenylist(text: string): Promise<boolean> {
    saved.value = false;
    try {
      await setDenylist(linesOf(text));
      invalid.value = [];
      saved.value = true;
      return true;
    } catch (error) {
      if (error instanceof InvalidDenylistError) invalid.value = error.invalid;
      else status.report(error);
      return false;
    }
  }

  return { settings, loaded, invalid, saved, togglePause, check, saveDenylist };
});
