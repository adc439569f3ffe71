import { beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../../shared/schemas/curation';
import { hlcAt, newAccount, pairSecondDevice, pullAll, push, resetDb } from '../../test/helpers';

beforeEach(resetDb);

describe("the data loop's review records sync", () => {
  it('a decision pushed by one device is pulled by the other, and is not searchable', async () => {
    const laptop = await newAccount();
    const desktop = await pairSecondDevice(laptop);
    const review = decide(undefined, { subjectKind: 'feedback', subjectId: 'fb_sync_00000001', decision: 'edit', editedOutput: 'Better.', tags: ['style'], deviceId: laptop.deviceId, at: Date.now() });
    const res = await push(laptop.token, [{ op: 'put', kind: 'review', key: review.id, hlc: hlcAt(Date.now(), laptop.deviceId), data: review }]);
    expect(res.status, await res.clone().text()).toBe(200);
    const { records } = await pullAll(desktop.token);
    expect(records).toEqual([expect.objectContaining({ kind: 'review', key: 'rev_fb_sync_00000001', data: expect.objectContaining({ decision: 'edit', editedOutput: 'Better.', deviceId: laptop.deviceId }) })]);
  });

  it('a generated question/answer pair syncs as its own kind, labelled synthetic; one without the label is refused', async () => {
    const laptop = await newAccount();
    const desktop = await pairSecondDevice(laptop);
    const now = Date.now();
    const pair = {
      id: 'syn_0abc1230def456_c0',
      synthetic: true,
      generator: 'cloze',
      sourceKind: 'highlight',
      sourceId: 'hl_sync_00000001',
      target: 'highlight:hl_sync_00000001',
      title: 'Lobsters',
      url: 'https://example.com/lobsters',
      passage: 'A young lobster may molt 25 times before its first birthday.',
      question: 'Fill in the blank: A young lobster may molt _____ times before its first birthday.',
      answer: '25',
      query: 'A young lobster may molt times before its first birthday.',
      engine: 'extractive',
      model: '',
      template: { id: 'synthetic-cloze', version: 1 },
      createdAt: now,
      updatedAt: now,
    };
    const res = await push(laptop.token, [{ op: 'put', kind: 'synthetic', key: pair.id, hlc: hlcAt(now, laptop.deviceId), data: pair }]);
    expect(res.status, await res.clone().text()).toBe(200);
    const { records } = await pullAll(desktop.token);
    expect(records).toEqual([expect.objectContaining({ kind: 'synthetic', key: pair.id, data: expect.objectContaining({ synthetic: true, template: { id: 'synthetic-cloze', version: 1 } }) })]);
    const unlabelled = await push(laptop.token, [{ op: 'put', kind: 'synthetic', key: 'syn_unlabelled_00', hlc: hlcAt(now + 1, laptop.deviceId), data: { ...pair, id: 'syn_unlabelled_00', synthetic: false } }]);
    expect(unlabelled.status).toBe(400);
  });
});
