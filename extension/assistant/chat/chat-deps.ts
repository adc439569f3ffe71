import { runPipeline } from '@shared/serving/pipeline';
import { retrieveSources } from '@/search/retrieval';
import { createEngines } from '@/ai/engines';
import { readAiSettings } from '@/ai/engines/settings';
import { embedTexts, vectorSearch } from '@/ai/offscreen-client';
import { getKeywordIndex } from '@/search/keyword-index';
import { webAccess } from '@/assistant/grounding/web-access';
import { verifierEmbed } from '@/assistant/grounding/verifier-embed';
import { shoppingSources } from '@/shopping/memory/shopping-sources';
import type { ChatDeps } from './chat-answer';
import { activeTab, pageContextOf } from './page-context';

async function retrieveMemory(question: string) {
  const index = await getKeywordIndex().catch(() => undefined);
  return retrieveSources(question, { rankKeywords: index ? (t, f, limit) => index.rank(t, f, limit) : undefined, searchVectors: vectorSearch });
}

/** The chat's real dependencies in an extension page (popup, side panel). */
export function createChatDeps(): ChatDeps {
  return {
    engines: createEngines(),
    preferences: readAiSettings,
    retrieveMemory,
    retrieveProducts: (question) => shoppingSources(question, retrieveMemory),
    pageContext: async () => {
      const tab = await activeTab();
      return tab ? pageContextOf(tab) : null;
    },
    webAccess,
    runPipeline,
    embed: verifierEmbed(embedTexts),
  };
}
