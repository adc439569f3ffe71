import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversation } from '@shared/schemas/assistant';
import { changesSince } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { feedbackIdOf, saveFeedback, type NewFeedback } from '../feedback/feedback-repository';
import { conversationFromBubble } from './handoff';

const PAGE = 'https://example.com/tides';

function answer(subjectId: string, output: string, pageUrl = PAGE, extra: Partial<NewFeedback> = {}): NewFeedback {
  return {
    id: feedbackIdOf(subjectId),
    subjectKind: 'answer',
    subjectId,
    conversationId: null,
    action: 'ask',
    option: '',
    prompt: [{ role: 'user', content: 'q' }],
    output,
    engine: 'worker',
    model: 'test-double',
    template: { id: 'ask', version: 2 },
    sources: [{ n: 1, kind: 'page', sourceId: PAGE, url: PAGE, title: 'Tides', text: 'The tide rose.' }],
    pageUrl,
    ...extra,
  };
}

describe('handing the bubble’s answers to the side panel', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => dropTestDb(db));

  it('makes a synced conversation of the recorded answers, keeping each answer’s record as its thumbs', async () => {
    await saveFeedback(answer('m00000000001', 'First answer [1].'), db);
    await saveFeedback(answer('m00000000002', 'Partial…', PAGE, { stopped: true }), db);
    const conversation = await conversationFromBubble(
      [
        { question: 'What is this?', feedbackId: 'fb_m00000000001' },
        { question: 'And then?', feedbackId: 'fb_m00000000002' },
      ],
      `${PAGE}#section`,
      db,
    );
    expect(Conversation.parse(conversation)).toEqual(conversation);
    expect(conversation!.scope).toBe('page');
    expect(conversation!.title).toBe('What is this?');
    expect(conversation!.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'What is this?'],
      ['assistant', 'First answer [1].'],
      ['user', 'And then?'],
      ['assistant', 'Partial…'],
    ]);
    const [, first, , second] = conversation!.messages;
    expect(first).toMatchObject({ id: 'm00000000001', engine: 'worker', model: 'test-double', template: { id: 'ask', version: 2 } });
    expect(first!.sources![0]!.url).toBe(PAGE);
    expect(feedbackIdOf(first!.id)).toBe('fb_m00000000001');
    expect(second!.stopped).toBe(true);
    expect((await changesSince(0, 10, db)).filter((c) => c.table === 'conversations').map((c) => c.key)).toEqual([conversation!.id]);
  });

  it('leaves out answers made on another page or unknown, and makes nothing from none', async () => {
    await saveFeedback(answer('m00000000003', 'Elsewhere', 'https://other.example/'), db);
    expect(await conversationFromBubble([{ question: 'x', feedbackId: 'fb_m00000000003' }, { question: 'y', feedbackId: 'fb_missing000' }], PAGE, db)).toBeNull();
    expect(await db.conversations.count()).toBe(0);
  });
});
