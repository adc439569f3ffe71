import { PullQuery, PushRequest, type PullResponse, type PushResponse, type ServerRecord } from '@shared/schemas/sync';
import { CreateAccountRequest, JoinRequest } from '@shared/schemas/cloud';
import { HlcClock, parseHlc } from '@shared/sync/hlc';
import { applyChange, serverRecordOf, type RecordState } from '@shared/sync/merge';

/**
 * A TEST DOUBLE of the worker's sync and account API, in memory, for unit tests of the extension side.
 * It applies pushes with the same pure merge the worker uses (shared/sync/merge.ts), keeps one record
 * log per account, remembers push ids, and pages pulls the way the worker does (current state of each
 * record changed after the cursor). It answers through a `fetch` function, so the code under test
 * runs its real HTTP client against it. `offline` makes every request fail like a network error;
 * `loseNextResponse` applies a request but throws instead of answering (a response lost on the way).
 */

interface Account {
  seq: number;
  records: Map<string, { seq: number; state: RecordState }>;
  pushes: Map<string, PushResponse>;
}

/** The worker's limit (worker/src/routes/sync.ts MAX_CLOCK_AHEAD_MS): a change stamped further ahead of
 * the server's clock is refused with a 400. */
export const CLOCK_AHEAD_LIMIT_MS = 10 * 60_000;

export class MemoryServer {
  offline = false;
  loseNextResponse = false;
  /** The next this-many pushes answer 500 (a server having a bad moment). */
  failPushes = 0;
  /** A change this returns a reason for makes the whole push fail: `status` 4xx refuses it (nothing
   * applied, like the worker's validation), 5xx fails the way an unguarded storage error would. */
  refuse: ((change: PushRequest['changes'][number]) => { status: number; reason: string } | null) | null = null;
  /** The server's wall clock. */
  now: () => number = Date.now;
  requests: { method: string; path: string }[] = [];
  pushes: PushRequest[] = [];
  private readonly accounts = new Map<string, Account>();
  private readonly tokens = new Map<string, { userId: string; deviceId: string; name: string; revoked: boolean }>();
  private readonly codes = new Map<string, string>();
  private readonly clock = new HlcClock('server', { maxDriftMs: Number.MAX_SAFE_INTEGER });
  private n = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    if (this.offline) throw new TypeError('fetch failed');
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const response = this.route(method, url, body, new Headers(init?.headers).get('authorization'));
    if (this.loseNextResponse) {
      this.loseNextResponse = false;
      throw new TypeError('network changed');
    }
    return response;
  };

  /** Every stored merge state of the account (tombstones included), by `kind:key`. */
  states(userId: string): Map<string, RecordState> {
    return new Map([...(this.accounts.get(userId)?.records ?? [])].map(([id, r]) => [id, r.state]));
  }

  /** Every live record of the account, by `kind:key`. */
  liveRecords(userId: string): Map<string, Record<string, unknown>> {
    const out = new Map<string, Record<string, unknown>>();
    for (const [id, r] of this.accounts.get(userId)?.records ?? []) if (r.state.data) out.set(id, r.state.data);
    return out;
  }

  private json(status: number, value: unknown): Response {
    return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
  }

  private error(status: number, code: string, message: string): Response {
    return this.json(status, { error: { code, message, requestId: 'test-double' } });
  }

  private issue(userId: string, name: string): { userId: string; deviceId: string; token: string; expiresAt: number } {
    const deviceId = `dev_${++this.n}`;
    const token = `clt_${this.n}_${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, { userId, deviceId, name, revoked: false });
    return { userId, deviceId, token, expiresAt: Date.now() + 86_400_000 };
  }

  revokeAll(userId: string): void {
    for (const t of this.tokens.values()) if (t.userId === userId) t.revoked = true;
  }

  private route(method: string, url: URL, body: unknown, authorization: string | null): Response {
    const path = url.pathname;
    if (method === 'POST' && path === '/v1/accounts') {
      const req = CreateAccountRequest.parse(body);
      const userId = `usr_${++this.n}`;
      this.accounts.set(userId, { seq: 0, records: new Map(), pushes: new Map() });
      return this.json(201, this.issue(userId, req.deviceName));
    }
    if (method === 'POST' && path === '/v1/pairing/join') {
      const req = JoinRequest.parse(body);
      const userId = this.codes.get(req.code);
      if (!userId) return this.error(404, 'not_found', 'no such pairing code');
      this.codes.delete(req.code);
      return this.json(201, this.issue(userId, req.deviceName));
    }
    const auth = this.tokens.get(/^Bearer (\S+)$/.exec(authorization ?? '')?.[1] ?? '');
    if (!auth || auth.revoked) return this.error(401, 'unauthorized', 'bad token');
    const account = this.accounts.get(auth.userId)!;
    if (method === 'POST' && path === '/v1/pairing') {
      const code = `CODE${String(++this.n).padStart(4, '0')}`;
      this.codes.set(code, auth.userId);
      return this.json(201, { code, expiresAt: Date.now() + 600_000 });
    }
    if (method === 'GET' && path === '/v1/devices') {
      const devices = [...this.tokens.values()]
        .filter((t) => t.userId === auth.userId)
        .map((t) => ({ id: t.deviceId, name: t.name, createdAt: 0, lastSeenAt: null, revokedAt: t.revoked ? 1 : null, expiresAt: 9e12, current: t.deviceId === auth.deviceId }));
      return this.json(200, { devices });
    }
    const revoke = /^\/v1\/devices\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && revoke) {
      const target = [...this.tokens.values()].find((t) => t.userId === auth.userId && t.deviceId === decodeURIComponent(revoke[1]!));
      if (!target) return this.error(404, 'not_found', 'no such device');
      target.revoked = true;
      return this.json(200, { revoked: true });
    }
    if (method === 'POST' && path === '/v1/sync/push') {
      const parsed = PushRequest.safeParse(body);
      if (!parsed.success) return this.error(400, 'bad_request', parsed.error.message);
      if (this.failPushes > 0) {
        this.failPushes--;
        return this.error(500, 'internal', 'internal error');
      }
      for (const [i, change] of parsed.data.changes.entries()) {
        if (parseHlc(change.hlc).ms > this.now() + CLOCK_AHEAD_LIMIT_MS) {
          return this.error(400, 'bad_request', `invalid body: changes.${i}.hlc: stamped too far in the future: check the device clock`);
        }
        const refused = this.refuse?.(change);
        if (refused) return this.error(refused.status, refused.status >= 500 ? 'internal' : 'bad_request', refused.reason);
      }
      this.pushes.push(parsed.data);
      return this.json(200, this.push(account, parsed.data));
    }
    if (method === 'GET' && path === '/v1/sync/pull') {
      const q = PullQuery.parse(Object.fromEntries(url.searchParams));
      return this.json(200, this.pull(account, q.cursor, q.limit));
    }
    return this.error(404, 'not_found', `no route ${method} ${path}`);
  }

  private push(account: Account, request: PushRequest): PushResponse {
    const prior = account.pushes.get(request.pushId);
    if (prior) return { ...prior, duplicate: true };
    const outcomes = request.changes.map((change) => {
      this.clock.receive(change.hlc);
      const id = `${change.kind}:${change.key}`;
      const result = applyChange(account.records.get(id)?.state, change);
      if (result.changed) account.records.set(id, { seq: ++account.seq, state: result.state });
      return result.outcome;
    });
    const response: PushResponse = { pushId: request.pushId, duplicate: false, outcomes, cursor: `c${account.seq}`, serverHlc: this.clock.now() };
    account.pushes.set(request.pushId, response);
    return response;
  }

  private pull(account: Account, cursor: string, limit: number): PullResponse {
    const after = cursor === '' ? 0 : Number(cursor.slice(1));
    const rows = [...account.records.values()].filter((r) => r.seq > after).sort((a, b) => a.seq - b.seq);
    const page = rows.slice(0, limit);
    const records: ServerRecord[] = page.map(({ state }) => serverRecordOf(state));
    return { records, cursor: `c${page.at(-1)?.seq ?? Math.min(after, account.seq)}`, hasMore: rows.length > limit, serverHlc: this.clock.current };
  }
}
