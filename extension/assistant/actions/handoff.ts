import type { Conversation, ConversationMessage } from '@shared/schemas/assistant';
import { getDb, type CalicoDb } from '@/db/database';
import { newId, saveConversation } from '../chat/conversations-repository';
import { feedbackIdOf, getFeedback } from '../feedback/feedback-repository';
import { stashHandedOverConversation } from '../chat/panel-handoff';

/**
 * "Open in side panel" from the answer bubble: the answers already produced become a conversation (so
 * they sync and are listed like any chat) and the side panel opens on it — nothing is asked again.
 *
 * The content script only names feedback records and the question lines it showed; each answer's text,
 * engine, template and sources come from the record the background wrote when it streamed the answer.
 * A record made on another page is left out, so a page can hand over only what was answered on it.
 */

export interface HandoffTurn {
  question: string;
  feedbackId: string;
}

function withoutFragment(url: string | null | undefined): string {
  return (url ?? '').replace(/#.*$/, '');
}

export async function conversationFromBubble(turns: readonly HandoffTurn[], senderUrl: string, db: CalicoDb = getDb(), now = Date.now()): Promise<Conversation | null> {
  const messages: ConversationMessage[] = [];
  for (const turn of turns.slice(-20)) {
    const record = await getFeedback(turn.feedbackId, db);
    if (!record || withoutFragment(record.pageUrl) !== withoutFragment(senderUrl)) continue;
    const question = turn.question.replace(/\s+/g, ' ').trim() || record.action;
    // The answer keeps its record's message id, so its thumbs in the side panel rate the same record.
    const answerId = feedbackIdOf(record.subjectId) === record.id ? record.subjectId : newId('m');
    messages.push(
      { id: newId('m'), role: 'user', content: question, at: record.createdAt },
      {
        id: answerId,
        role: 'assistant',
        content: record.output,
        at: record.createdAt,
        engine: record.engine,
        ...(record.model ? { model: record.model } : {}),
        template: record.template,
        sources: record.sources,
        ...(record.stopped ? { stopped: true } : {}),
      },
    );
  }
  if (messages.length === 0) return null;
  return saveConversation(
    {
      id: newId('c'),
      title: messages[0]!.content.slice(0, 80),
      scope: 'page',
      pageUrl: senderUrl.slice(0, 8192),
      messages,
      createdAt: now,
      updatedAt: now,
    },
    db,
  );
}

/** The background's handler: builds the conversation and leaves its id for the side panel to open. */
export async function handOffToPanel(turns: readonly HandoffTurn[], senderUrl: string | undefined): Promise<{ conversationId: string | null }> {
  if (!senderUrl) return { conversationId: null };
  const conversation = await conversationFromBubble(turns, senderUrl);
  if (conversation) await stashHandedOverConversation(conversation.id);
  return { conversationId: conversation?.id ?? null };
}
