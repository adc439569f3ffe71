import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_PUSH_BYTES } from '../../../shared/schemas/sync';
import { MAX_JSON_DEPTH } from '../http/validate';
import { MAX_RECORD_STATE_BYTES, PULL_PAGE_BYTES } from '../store/user-store';
import { userStore } from '../store/stub';
import { floatsToBase64 } from '../store/vector-codec';
import { call, env, hlcAt, highlightData, json, newAccount, newId, newPushId, push, resetDb } from '../../test/helpers';

/**
 * Issue 9: inputs the schema accepts must be refused with a reason (413/422), never answered 500, and
 * big answers and bodies must stay bounded. These guards live in the worker, so they hold whatever
 * the shared schemas allow.
 */
beforeEach(resetDb);

const T0 = Date.now() - 60_000;

function settingPut(key: string, value: unknown) {
  return { op: 'put', kind: 'setting', key, hlc: hlcAt(T0, 'd'), data: { key, value, updatedAt: 1 } };
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
  return value;
}

describe('bodies nested too deep', () => {
  it('a setting nested ~2,000 deep is refused with 422 and a reason, not a stack overflow', async () => {
    const a = await newAccount();
    const res = await push(a.token, [settingPut('deep', nested(2000))]);
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error).toMatchObject({ code: 'unprocessable', message: expect.stringContaining(`${MAX_JSON_DEPTH} levels`) });
    expect((await call('/v1/records/setting/deep', { token: a.token })).status).toBe(404);
  });

  it('every JSON route refuses deep bodies the same way', async () => {
    const a = await newAccount();
    const deep = JSON.stringify({ q: 'x', extra: nested(5000) });
    for (const path of ['/v1/accounts', '/v1/pairing/join', '/v1/search', '/v1/chat', '/v1/write', '/v1/sync/push']) {
      const res = await call(path, { method: 'POST', token: a.token, body: deep, headers: { 'content-type': 'application/json' } });
      expect(res.status, path).toBe(422);
    }
  });
});

describe('records too large to store', () => {
  // The shared schema's bounds (shared/schemas/bounded-json.ts) refuse these before the store's own row
  // limit is reached: a 4xx naming the change, never a 500, nothing applied.
  it('a 2.1 MiB setting is refused naming the change, and nothing of the batch is applied', async () => {
    const a = await newAccount();
    const small = settingPut('paused', true);
    const res = await push(a.token, [small, settingPut('big', 'x'.repeat(2.1 * 1024 * 1024))]);
    expect([400, 413]).toContain(res.status);
    const body = await json(res);
    // The shared schema's bounds refuse it before the store's own row limit is reached.
    expect(body.error.issues.every((i: { path: string }) => i.path.startsWith('changes.1.data'))).toBe(true);
    expect((await call('/v1/records/setting/paused', { token: a.token })).status).toBe(404);
    // The rest of the batch goes through once the big one is set aside.
    expect((await push(a.token, [small])).status).toBe(200);
  });

  it('a 5,000 × 512-character denylist is refused with a reason, not SQLITE_TOOBIG', async () => {
    const a = await newAccount();
    const denylist = Array.from({ length: 5000 }, (_, i) => `https://${String(i).padStart(4, '0')}.example.com/${'p'.repeat(480)}`.slice(0, 512));
    const res = await push(a.token, [settingPut('denylist', denylist)]);
    expect([400, 413]).toContain(res.status);
    expect((await json(res)).error.issues[0].path).toMatch(/^changes\.0\.data/);
  });

  it('the store refuses a record it cannot hold whatever the route let through (nothing applied)', async () => {
    const a = await newAccount();
    const store = userStore(env, a.userId);
    const id = newId('hl');
    const request = {
      pushId: newPushId(),
      changes: [
        { op: 'put', kind: 'highlight', key: id, hlc: hlcAt(T0, 'd'), data: highlightData(id) },
        { op: 'put', kind: 'setting', key: 'huge', hlc: hlcAt(T0, 'd'), data: { key: 'huge', value: '€'.repeat(700_000), updatedAt: 1 } },
      ],
    };
    const result = await store.pushOrRefuse(a.userId, request as never, Date.now());
    expect(result).toEqual({ refused: [{ kind: 'setting', key: 'huge', bytes: expect.any(Number), limit: MAX_RECORD_STATE_BYTES }] });
    expect(await store.getRecord('highlight', id)).toBeNull();
  });

  it('a record as large as the schema allows is stored and read back', async () => {
    const a = await newAccount();
    const url = 'https://example.com/long-read';
    const text = 'word '.repeat(40_000);
    const page = { url, site: 'example.com', title: 'A long read', text, excerpt: '', byline: '', siteName: '', lang: 'en', wordCount: 40_000, truncated: false, capturedAt: T0, updatedAt: T0 };
    expect((await push(a.token, [{ op: 'put', kind: 'page', key: url, hlc: hlcAt(T0, 'd'), data: page }])).status).toBe(200);
    expect((await json(await call(`/v1/records/page/${encodeURIComponent(url)}`, { token: a.token }))).data.text).toHaveLength(text.length);
  });
});

describe('pull pages are bounded by bytes, vectors included', () => {
  it('records with big vectors spread over pages of at most PULL_PAGE_BYTES', async () => {
    const a = await newAccount();
    // 64 chunks × 4096-d float32 = 1 MiB of vectors (1.4 MB as base64) per record; five of them.
    const chunk = { encoding: 'f32', data: floatsToBase64(Array.from({ length: 4096 }, (_, i) => Math.sin(i))) };
    const ids = Array.from({ length: 5 }, () => newId('hl'));
    for (const id of ids) {
      const res = await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(T0, 'd'), data: highlightData(id), vectors: { model: 'big', dims: 4096, chunks: Array(64).fill(chunk) } }]);
      expect(res.status).toBe(200);
    }
    let cursor = '';
    const seen: string[] = [];
    for (let pages = 0; pages < 10; pages++) {
      const res = await call(`/v1/sync/pull?cursor=${cursor}&limit=1000&vectors=1`, { token: a.token });
      const text = await res.text();
      const page = JSON.parse(text);
      expect(page.records.length).toBeGreaterThan(0);
      // Only a page of one record may pass the cap (a record is never split).
      if (page.records.length > 1) expect(text.length).toBeLessThanOrEqual(PULL_PAGE_BYTES);
      for (const r of page.records) {
        expect(r.vectors.chunks).toHaveLength(64);
        seen.push(r.key);
      }
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(ids);
    // Without vectors the same records fit one page.
    const plain = await json(await call('/v1/sync/pull?limit=1000', { token: a.token }));
    expect(plain.records).toHaveLength(5);
  });
});

describe('oversized chunked bodies', () => {
  function endless(piece: Uint8Array) {
    const state = { sent: 0, cancelled: false };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        state.sent += piece.byteLength;
        controller.enqueue(piece);
      },
      cancel() {
        state.cancelled = true;
      },
    });
    return { body, state };
  }

  it('an endless upload is answered 413 and its stream cancelled, never left hanging', async () => {
    const a = await newAccount();
    const piece = new TextEncoder().encode(' '.repeat(64 * 1024));
    const { body, state } = endless(piece);
    const res = await call('/v1/sync/push', { method: 'POST', token: a.token, body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as never);
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
    expect(state.cancelled).toBe(true);
    expect(state.sent).toBeLessThan(2 * MAX_PUSH_BYTES + 4 * piece.byteLength);
    // The worker answers the next request normally.
    expect((await call('/v1/me', { token: a.token })).status).toBe(200);
  });

  it('a finite oversized upload is read to its end (so the connection stays usable) and answered 413', async () => {
    const a = await newAccount();
    const total = MAX_PUSH_BYTES + 1024 * 1024;
    let sent = 0;
    let cancelled = false;
    const piece = new TextEncoder().encode(' '.repeat(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += piece.byteLength;
        controller.enqueue(piece);
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await call('/v1/sync/push', { method: 'POST', token: a.token, body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as never);
    expect(res.status).toBe(413);
    expect(sent).toBeGreaterThanOrEqual(total);
    expect(cancelled).toBe(false);
  });

  it('a chunked body under the limit still goes through', async () => {
    const a = await newAccount();
    const text = JSON.stringify({ q: 'octopus' });
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 5));
        controller.enqueue(bytes.slice(5));
        controller.close();
      },
    });
    const res = await call('/v1/search', { method: 'POST', token: a.token, body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as never);
    expect(res.status).toBe(200);
  });
});
