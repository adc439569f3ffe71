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
});
