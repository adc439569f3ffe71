import { z } from 'zod';
import { getDb, type CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';
import type { EnginePreference } from './chooser';
import type { Privacy } from './types';

/**
 * The AI settings, stored as rows of the `settings` table (so they are change-logged like every other
 * setting). Privacy defaults to "local only": nothing leaves the device until the user says so.
 */

export const PRIVACY_SETTING = 'ai.privacy';
export const ENGINE_SETTING = 'ai.engine';

const PrivacyValue = z.enum(['local-only', 'allow-worker']);
const EngineValue = z.enum(['auto', 'webllm', 'built-in', 'openai-compatible', 'worker', 'extractive']);

export interface AiSettings {
  privacy: Privacy;
  engine: EnginePreference;
}

async function value(db: CalicoDb, key: string): Promise<unknown> {
  return (await db.settings.get(key))?.value;
}

export async function readAiSettings(db: CalicoDb = getDb()): Promise<AiSettings> {
  const [privacy, engine] = await Promise.all([value(db, PRIVACY_SETTING), value(db, ENGINE_SETTING)]);
  return {
    // Anything unreadable falls back to the private choice.
    privacy: PrivacyValue.catch('local-only').parse(privacy),
    engine: EngineValue.catch('auto').parse(engine),
  };
}

export async function writeAiSetting(key: string, settingValue: unknown, db: CalicoDb = getDb()): Promise<void> {
  await putRecords('settings', [{ key, value: settingValue, updatedAt: Date.now() }], db);
}
