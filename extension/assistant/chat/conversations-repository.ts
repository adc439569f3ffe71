import { Conversation } from '@shared/schemas/assistant';
import { getDb, type CalicoDb } from '@/db/database';
import { deleteRecords, putRecords, updateRecord } from '@/db/change-log';

/**
 * Conversations, kept through the change log like every record: so they sync, export and are erased
 * with the rest. Every write validates against the shared schema (bounds included).
 */

export function newId(prefix: string): string {
  return `${prefix}${crypto.randomUUID().replace(/-/g, '')}`;
}

export async function saveConversation(conversation: Conversation, db: CalicoDb = getDb()): Promise<Conversation> {
  const record = Conversation.parse(conversation);
  await putRecords('conversations', [record], db);
  return record;
}

export async function listConversations(limit = 100, db: CalicoDb = getDb()): Promise<Conversation[]> {
  return db.conversations.orderBy('updatedAt').reverse().limit(limit).toArray();
}

export async function getConversation(id: string, db: CalicoDb = getDb()): Promise<Conversation | undefined> {
  return db.conversations.get(id);
}

export async function renameConversation(id: string, title: string, db: CalicoDb = getDb()): Promise<Conversation | undefined> {
  const clean = title.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (!clean) throw Object.assign(new Error('A conversation needs a name.'), { code: 'invalid' });
  return updateRecord<Conversation>('conversations', id, (row) => Conversation.parse({ ...row, title: clean, updatedAt: Date.now() }), db);
}

export async function deleteConversation(id: string, db: CalicoDb = getDb()): Promise<void> {
  await deleteRecords('conversations', [id], db);
}
