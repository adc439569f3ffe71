import { Hono } from 'hono';
import { PullQuery, PushRequest, RecordKind, RecordKey } from '../../../shared/schemas/sync';
import { parseHlc } from '../../../shared/sync/hlc';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { parseQuery, readJson } from '../http/validate';
import { MAX_RECORD_STATE_BYTES, oversizeBytes, seqOf } from '../store/user-store';
import { expectedBytes } from '../store/vector-codec';
import { userStore } from '../store/stub';
import { ensureRoom } from '../billing/entitlements';
import { feedbackSamplesOf, writeFeedbackSamples } from '../monitoring/event-sink';

/** A change stamped further ahead of the server's clock than this is refused: one device with a wrong
 * clock would otherwise win every conflict until real time caught up. */
export const MAX_CLOCK_AHEAD_MS = 10 * 60_000;

function checkPush(request: PushRequest, now: number): void {
  const issues: { path: string; message: string }[] = [];
  request.changes.forEach((change, i) => {
    if (parseHlc(change.hlc).ms > now + MAX_CLOCK_AHEAD_MS) issues.push({ path: `changes.${i}.hlc`, message: 'stamped too far in the future: check the device clock' });
    if (change.op === 'put' && change.vectors) {
      const want = expectedBytes('f32', change.vectors.dims);
      change.vectors.chunks.forEach((chunk, j) => {
        const bytes = Math.floor((chunk.data.replace(/=+$/, '').length * 3) / 4);
        const expected = chunk.encoding === 'f32' ? want : change.vectors!.dims;
        if (bytes !== expected) issues.push({ path: `changes.${i}.vectors.chunks.${j}`, message: `expected ${expected} bytes for ${change.vectors!.dims} dims` });
      });
    }
  });
  if (issues.length) throw new ApiError('bad_request', `invalid body: ${issues[0]!.path}: ${issues[0]!.message}`, issues.slice(0, 20));
}

/** Every put whose record can't be stored (over MAX_RECORD_STATE_BYTES), found before anything is
 * applied and all at once, so a client can set those records aside and send the rest. */
function checkRecordSizes(request: PushRequest): void {
  const issues: { path: string; message: string }[] = [];
  request.changes.forEach((change, i) => {
    if (change.op !== 'put') return;
    const bytes = oversizeBytes(JSON.stringify(change.data));
    if (bytes !== null) issues.push({ path: `changes.${i}.data`, message: tooLargeMessage(change.kind, change.key, bytes) });
  });
  if (issues.length) throw new ApiError('payload_too_large', `${issues.length} record(s) too large to store: ${issues[0]!.path}: ${issues[0]!.message}`, issues.slice(0, 20));
}

function tooLargeMessage(kind: string, key: string, bytes: number): string {
  return `the ${kind} record ${JSON.stringify(key.slice(0, 80))} takes ${bytes} bytes stored; one record may take at most ${MAX_RECORD_STATE_BYTES}`;
}

export const syncRoutes = new Hono<AppEnv>()
  .post('/sync/push', async (c) => {
    const request = await readJson(c, PushRequest);
    const now = Date.now();
    checkPush(request, now);
    checkRecordSizes(request);
    const auth = c.get('auth');
    const store = userStore(c.env, auth.userId);
    // Over the plan's storage only deletes go through: nobody is stopped from making room.
    if (request.changes.some((change) => change.op === 'put')) await ensureRoom(c.env, auth.userId, 'storageBytes', await store.storageBytes(), 1, now);
    const result = await store.pushOrRefuse(auth.userId, request, now);
    if ('refused' in result) {
      // The merged record outgrew storage (e.g. two long notes kept side by side): nothing was applied.
      const issues = result.refused.map((r) => ({
        path: `changes.${request.changes.findIndex((ch) => ch.kind === r.kind && ch.key === r.key)}.data`,
        message: tooLargeMessage(r.kind, r.key, r.bytes),
      }));
      throw new ApiError('payload_too_large', `record too large to store: ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    }
    await writeFeedbackSamples(c.env, feedbackSamplesOf(auth.userId, request.changes, now));
    return c.json(result);
  })
  .get('/sync/pull', async (c) => {
    const q = parseQuery(c, PullQuery);
    const auth = c.get('auth');
    return c.json(await userStore(c.env, auth.userId).pull(seqOf(q.cursor), q.limit, q.vectors === '1'));
  })
  .get('/records/:kind/:key{.+}', async (c) => {
    const kind = RecordKind.safeParse(c.req.param('kind'));
    const key = RecordKey.safeParse(c.req.param('key'));
    if (!kind.success || !key.success) throw new ApiError('bad_request', 'unknown record kind or bad key');
    const auth = c.get('auth');
    const record = await userStore(c.env, auth.userId).getRecord(kind.data, key.data);
    if (!record) throw new ApiError('not_found', 'no such record');
    return c.json(record);
  });
