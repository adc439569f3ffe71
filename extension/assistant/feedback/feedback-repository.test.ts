import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changesSince } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { getFeedback, listFeedback, rateFeedback, saveFeedback, type NewFeedback } from './feedback-repository';

const base: NewFeedback = {
  id: 'fb_00000001',
  subjectKind: 'rewrite',
  subjectId: 'rw_00000001',
  conversationId: null,
  action: 'improve',
  option: '',
  prompt: [
    { role: 'system', content: 'You are a careful writing assistant.' },
    { role: 'user', content: '<text>\nteh cat\n</text>' },
  ],
  output: 'the cat',
  engine: 'openai-compatible',
  model: 'test-model',
  template: { id: 'write.improve', version: 1 },
  sources: [],
  pageUrl: 'https://example.com/post',
};

describe('feedback repository', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => dropTestDb(db));

  it('saves an unrated record through the change log', async () => {
    const saved = await saveFeedback(base, db);
    expect(saved.rating).toBeNull();
    expect(saved.correction).toBe('');
    const changes = await changesSince(0, 10, db);
    expect(changes.map((c) => [c.table, c.key, c.op])).toEqual([['feedback', 'fb_00000001', 'put']]);
  });

  it('rates, corrects and clears a rating, each as a logged change', async () => {
    await saveFeedback(base, db);
    await rateFeedback('fb_00000001', { rating: 'down', correction: 'The cat.' }, db);
    expect(await getFeedback('fb_00000001', db)).toMatchObject({ rating: 'down', correction: 'The cat.' });
    await rateFeedback('fb_00000001', { rating: null }, db);
    expect(await getFeedback('fb_00000001', db)).toMatchObject({ rating: null, correction: 'The cat.' });
    expect((await changesSince(0, 10, db)).length).toBe(3);
    expect((await listFeedback(10, db)).map((f) => f.id)).toEqual(['fb_00000001']);
  });

  it('refuses a record the schema refuses and an unknown id', async () => {
    await expect(saveFeedback({ ...base, prompt: [] }, db)).rejects.toThrow();
    await expect(rateFeedback('fb_missing01', { rating: 'up' }, db)).rejects.toThrow(/no feedback/);
    expect(await changesSince(0, 10, db)).toEqual([]);
  });
});
