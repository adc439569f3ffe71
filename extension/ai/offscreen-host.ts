import { getDb } from '@/db/database';
import { onMessage } from '@/messaging/router';
import { registerMachineStateHandler } from './machine-state';

/**
 * The background's half of the offscreen document: it creates the document on demand (Chrome allows one
 * per extension, and only the extension can create it), and makes sure one runs whenever indexing may
 * have work — at start-up, on a periodic alarm, and when any extension page asks (`ai.ensure`).
 *
 * The document itself holds no state that matters (see offscreen-service.ts), so creating it again after
 * Chrome or a test closed it is always safe.
 */

export const OFFSCREEN_PATH = 'offscreen.html';
const ALARM = 'ai-indexing';

let creating: Promise<boolean> | undefined;

async function hasDocument(): Promise<boolean> {
  const url = chrome.runtime.getURL(OFFSCREEN_PATH);
  if (chrome.runtime.getContexts) {
    const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT], documentUrls: [url] });
    return contexts.length > 0;
  }
  return chrome.offscreen.hasDocument();
}

/** Creates the offscreen document unless it exists; resolves true when this call created it. */
export function ensureOffscreenDocument(): Promise<boolean> {
  creating ??= (async () => {
    try {
      if (await hasDocument()) return false;
      await chrome.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: [chrome.offscreen.Reason.WORKERS],
        justification: 'Runs the on-device embedding model (WebAssembly) that indexes saved pages and highlights for search by meaning.',
      });
      return true;
    } catch (error) {
      // Two contexts racing to create it: the loser is told a document already exists, which is fine.
      if (String(error).includes('single offscreen document')) return false;
      throw error;
    } finally {
      creating = undefined;
    }
  })();
  return creating;
}

/** Wires the offscreen document into the background (call once from the background entrypoint). */
export function startOffscreenHost(): void {
  onMessage('ai.ensure', async () => ({ created: await ensureOffscreenDocument() }));
  registerMachineStateHandler();
  const kick = () => void ensureOffscreenDocument().catch((error) => console.warn('offscreen document', error));
  chrome.runtime.onStartup.addListener(kick);
  chrome.runtime.onInstalled.addListener(kick);
  void chrome.alarms.create(ALARM, { periodInMinutes: 0.5 });
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) kick();
  });
  // Writes made here (captured pages, new highlights) bring the document up within seconds rather
  // than at the next alarm; the document itself then notices the change through the database.
  let pending: ReturnType<typeof setTimeout> | undefined;
  getDb().changes.hook('creating', () => {
    clearTimeout(pending);
    pending = setTimeout(kick, 1000);
  });
  kick();
}
