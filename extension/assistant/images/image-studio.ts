import type { ImageGenerateRequest, ImageGenerateResult } from '@shared/schemas/images';
import type { ImageRecord } from '@shared/schemas/images';
import type { MessageResponse } from '@shared/schemas/messages';
import { activeTab, pageContextOf } from '../chat/page-context';
import type { ImageWorkerConfig } from './image-client';
import { generateAndRecord, pairedWorkerConfig } from './generate-and-record';
import { listImageRecords, markImageUsed } from './image-records';
import { draftImagePrompt } from './prompt-draft';
import { sendToTab } from '@/messaging/router';

/**
 * What the assistant's Image panel (ImageStudio.vue) does, apart from drawing: draft the prompt from
 * the active tab, say up front why images can't be made here, generate through the worker, and put an
 * image into the tab's editor. Injected so the component's test runs without a browser.
 */

export interface StudioDeps {
  config: () => Promise<ImageWorkerConfig>;
  draft: () => Promise<{ prompt: string; url: string | null; title: string }>;
  generate: (request: ImageGenerateRequest) => Promise<ImageGenerateResult>;
  insert: (dataUrl: string, alt: string) => Promise<MessageResponse<'image.insert'>>;
  markUsed: (id: string, how: 'inserted' | 'downloaded') => Promise<unknown>;
  recent: () => Promise<ImageRecord[]>;
}

/** Why Generate can't be pressed, before anything is sent; null when it can. */
export function blockedReason(config: ImageWorkerConfig): string | null {
  if (config.privacy !== 'allow-worker') return 'Your privacy setting is “local only”: images are made by your worker, so nothing is sent. Allow your worker in Options → AI to make images.';
  if (!config.baseUrl || !config.token) return 'Images are made by your worker: pair this browser with it in Options → Sync first.';
  return null;
}

export function createStudioDeps(): StudioDeps {
  return {
    config: pairedWorkerConfig,
    draft: async () => {
      const tab = await activeTab();
      const page = tab ? await pageContextOf(tab).catch(() => null) : null;
      return {
        prompt: draftImagePrompt({ pageTitle: page?.title ?? tab?.title ?? '', pageText: page?.text ?? '' }),
        url: page?.url ?? null,
        title: page?.title ?? '',
      };
    },
    generate: (request) => generateAndRecord(request),
    insert: async (dataUrl, alt) => {
      const tab = await activeTab();
      if (tab?.id === undefined || !/^https?:/.test(tab.url ?? '')) return { inserted: false, reason: 'Open the page you are writing on first: this tab takes no images.' };
      try {
        return await sendToTab(tab.id, 'image.insert', { dataUrl, alt });
      } catch {
        return { inserted: false, reason: 'The page has no CalicoLobster here (reload it, or download the image instead).' };
      }
    },
    markUsed: (id, how) => markImageUsed(id, how),
    recent: () => listImageRecords(5),
  };
}
