import { readConfig } from '@/sync/sync-config';
import { BuiltInEngine } from './built-in';
import { readDirectEndpoint } from './direct-endpoint-config';
import { ExtractiveEngine } from './extractive';
import { OpenAiCompatibleEngine } from './openai-compatible';
import { readAiSettings } from './settings';
import type { Engine } from './types';
import { WebLlmEngine } from './webllm';
import { WorkerEngine } from './worker-sse';

/** Every engine this browser might use, in the order the chooser prefers them. The worker is the one
 * sync talks to, with this device's token; without a signed-in account there is no worker to use. */
export function createEngines(): Engine[] {
  return [
    new OpenAiCompatibleEngine({
      config: async () => {
        const [endpoint, ai] = await Promise.all([readDirectEndpoint(), readAiSettings()]);
        return { endpoint, privacy: ai.privacy };
      },
    }),
    new WebLlmEngine(),
    new BuiltInEngine(),
    new WorkerEngine({
      config: async () => {
        const [ai, sync] = await Promise.all([readAiSettings(), readConfig()]);
        return { privacy: ai.privacy, baseUrl: sync.account ? sync.workerUrl : null, token: sync.account?.token ?? null };
      },
    }),
    new ExtractiveEngine(),
  ];
}
