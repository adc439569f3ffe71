import { createEngines } from '@/ai/engines';
import { readAiSettings } from '@/ai/engines/settings';
import { retrieveSources, type VectorSearch } from '@/search/retrieval';
import { ensureOffscreenDocument } from '@/ai/offscreen-host';
import { onMessage, sendMessage } from '@/messaging/router';
import { KeywordIndex } from '@/search/keyword-index';
import { rateFeedback, saveFeedback } from '../feedback/feedback-repository';
import type { RunnerDeps } from './action-runner';
import { registerCommands } from './commands';
import { handOffToPanel } from './handoff';
import { readConfig } from '@/sync/sync-config';
import { runPipeline } from '@shared/serving/pipeline';
import { verifierEmbed } from '../grounding/verifier-embed';
import { searchWebReferences } from './web-references';
import { handleContextMenuClick, registerContextMenus } from './context-menus';
import { registerActionRunner } from './runner-port';

/**
 * The in-page assistant's background half: the right-click menu, keyboard shortcuts, the action runner
 * the answer bubble streams from, and the bubble's feedback ratings.
 */

/** The vector side of memory search, from the service worker: the offscreen document answers it. A
 * model still loading must not hold an answer up for long; the keyword side answers alone then. */
const VECTOR_TIMEOUT_MS = 20_000;
const searchVectors: VectorSearch = async (query, k, filters, feedback) => {
  await ensureOffscreenDocument();
  const search = sendMessage('ai.vectorSearch', { query, k, filters, ...(feedback ? { feedback } : {}) });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('vector search timed out')), VECTOR_TIMEOUT_MS));
  return Promise.race([search, timeout]);
};

/** The citation verifier's meaning check, from the service worker: the offscreen document embeds. */
const embed = verifierEmbed(async (texts) => {
  await ensureOffscreenDocument();
  const { vectors } = await sendMessage('ai.embedTexts', { texts });
  return vectors.map((v) => Float32Array.from(v));
});

let keywordIndex: Promise<KeywordIndex | undefined> | undefined;
/** The service worker's own read of the keyword index. It never saves snapshots (the side panel's
 * copy does), so two contexts never write the same snapshot row. */
function openKeywordIndex(): Promise<KeywordIndex | undefined> {
  keywordIndex ??= KeywordIndex.open(undefined, { saveEvery: Number.MAX_SAFE_INTEGER, saveDelayMs: 2_000_000_000 }).catch((error: unknown) => {
    console.warn('keyword index unavailable to the assistant', error);
    keywordIndex = undefined;
    return undefined;
  });
  return keywordIndex;
}

export function backgroundRunnerDeps(): RunnerDeps {
  const engines = createEngines();
  return {
    engines,
    preferences: readAiSettings,
    retrieve: async (query) => {
      const index = await openKeywordIndex();
      if (index) await index.catchUp().catch(() => undefined);
      return retrieveSources(query, { rankKeywords: index ? (q, f, limit) => index.rank(q, f, limit) : undefined, searchVectors });
    },
    saveFeedback: (record) => saveFeedback(record),
    runPipeline,
    embed,
    webSearch: async (text, signal) => {
      const [ai, sync] = await Promise.all([readAiSettings(), readConfig()]);
      return searchWebReferences(text, { privacy: ai.privacy, baseUrl: sync.account ? sync.workerUrl : null, token: sync.account?.token ?? null }, { signal });
    },
  };
}

export function registerAssistantBackground(): void {
  registerContextMenus();
  registerCommands();
  registerActionRunner(backgroundRunnerDeps);
  onMessage('assistant.rate', async ({ id, rating, correction }) => {
    const updated = await rateFeedback(id, { ...(rating !== undefined ? { rating } : {}), ...(correction !== undefined ? { correction } : {}) });
    return { rating: updated.rating, correction: updated.correction };
  });
  onMessage('assistant.handoff', ({ turns }, { sender }) => handOffToPanel(turns, sender.url ?? sender.tab?.url));
  // The handler Chrome's contextMenus.onClicked calls, reachable from tests running code in the
  // service worker (native menus can't be clicked by automation). Pages can't reach this global.
  (globalThis as { calicoAssistant?: unknown }).calicoAssistant = { contextMenuClick: handleContextMenuClick };
}
