import { z } from 'zod';
import { getDb, type CalicoDb } from '@/db/database';

/** What the options page keeps for the connectors (local to this device; tokens live apart). */
export const ConnectorSettings = z.object({
  wikipedia: z
    .object({
      wiki: z.string().url().max(200).default('https://en.wikipedia.org'),
      titles: z.array(z.string().min(1).max(255)).max(500).default([]),
      category: z.string().max(255).default(''),
    })
    .default({ wiki: 'https://en.wikipedia.org', titles: [], category: '' }),
  drive: z.object({ clientId: z.string().max(200).default('') }).default({ clientId: '' }),
});
export type ConnectorSettings = z.infer<typeof ConnectorSettings>;

const KEY = 'connector-settings';

export async function loadConnectorSettings(db: CalicoDb = getDb()): Promise<ConnectorSettings> {
  const parsed = ConnectorSettings.safeParse((await db.state.get(KEY))?.value ?? {});
  return parsed.success ? parsed.data : ConnectorSettings.parse({});
}

export async function saveConnectorSettings(settings: ConnectorSettings, db: CalicoDb = getDb()): Promise<void> {
  await db.state.put({ key: KEY, value: ConnectorSettings.parse(settings) });
}
