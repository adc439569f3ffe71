import { BuiltInEngine } from './built-in';
import { ExtractiveEngine } from './extractive';
import { readAiSettings } from './settings';
import type { Engine } from './types';
import { WebLlmEngine } from './webllm';
import { WorkerEngine } from './worker-sse';

/** Every engine this browser might use, in the order the chooser prefers them. */
export function createEngines(): Engine[] {
  return [
    new WebLlmEngine(),
    new BuiltInEngine(),
    new WorkerEngine({
      config: async () => {
        const s = await readAiSettings();
        return { privacy: s.privacy, baseUrl: s.workerUrl, token: s.workerToken };
      },
    }),
    new ExtractiveEngine(),
  ];
}
