import { Hono } from 'hono';
import { PullQuery, PushRequest, RecordKind, RecordKey } from '../../../shared/schemas/sync';
import { parseHlc } from '../../../shared/sync/hlc';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { parseQuery, readJson } from '../http/validate';
import { seqOf } from '../store/user-store';
import { expectedBytes } from '../store/vector-codec';
import { userStore } from '../store/stub';
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

export const syncRoutes = new Hono<AppEnv>()
  .post('/sync/push', async (c) => {
    const request = await readJson(c, PushRequest);
    const now = Date.now();
    checkPush(request, now);
    const auth = c.get('auth');
    const result = await userStore(c.env, auth.userId).push(auth.userId, request, now);
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
