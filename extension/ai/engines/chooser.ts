import { ExtractiveEngine } from './extractive';
import type { Availability, Engine, EngineId, GenerationTask, Privacy } from './types';

/**
 * Picks the engine an answer comes from. Privacy first: under "local only" an engine that sends text
 * off the device is not even asked whether it is available. Then the user's explicit choice, when it
 * can run (a downloadable engine counts — the user asked for it, so it downloads with progress). Then
 * the best available by capability; the extractive engine always can, so there is always an answer.
 */

export type EnginePreference = 'auto' | EngineId;

/** A user-set endpoint comes first: setting one up is itself a statement of preference. */
export const CAPABILITY_ORDER: readonly EngineId[] = ['openai-compatible', 'webllm', 'built-in', 'worker', 'extractive'];

export interface EngineChoice {
  engine: Engine;
  /** Why this one: shown under the answer. */
  reason: string;
  /** What every permitted engine said, for the settings/status view. */
  availability: Partial<Record<EngineId, Availability>>;
}

export function permittedEngines(engines: readonly Engine[], privacy: Privacy): Engine[] {
  return engines.filter((engine) => engine.local || privacy === 'allow-worker');
}

/** Like permittedEngines, also asking engines whose privacy depends on their configuration. */
export async function permittedEnginesAsync(engines: readonly Engine[], privacy: Privacy): Promise<Engine[]> {
  const verdicts = await Promise.all(
    engines.map((engine) => (engine.permits ? engine.permits(privacy).catch(() => false) : Promise.resolve(engine.local || privacy === 'allow-worker'))),
  );
  return engines.filter((_, i) => verdicts[i]);
}

/** `task`, when given, is the action to run: engines are asked whether they can do it (Chrome's task
 * APIs count for the built-in engine). */
export async function chooseEngine(engines: readonly Engine[], privacy: Privacy, preference: EnginePreference = 'auto', task?: GenerationTask): Promise<EngineChoice> {
  const permitted = await permittedEnginesAsync(engines, privacy);
  const availability: Partial<Record<EngineId, Availability>> = {};
  await Promise.all(
    permitted.map(async (engine) => {
      availability[engine.id] = await engine.available(task).catch((error: unknown) => ({ status: 'unavailable' as const, reason: String(error) }));
    }),
  );
  const byId = new Map(permitted.map((e) => [e.id, e]));
  if (preference !== 'auto') {
    const wanted = byId.get(preference);
    const state = availability[preference]?.status;
    if (wanted && (state === 'available' || state === 'downloadable')) return { engine: wanted, reason: 'your choice in settings', availability };
  }
  for (const id of CAPABILITY_ORDER) {
    const engine = byId.get(id);
    if (engine && availability[id]?.status === 'available') {
      const reason = preference !== 'auto' && preference !== id ? `your choice (${preference}) cannot run here` : 'the best engine available';
      return { engine, reason, availability };
    }
  }
  const fallback = new ExtractiveEngine();
  return { engine: fallback, reason: 'no generator is available', availability: { ...availability, extractive: { status: 'available' } } };
}
