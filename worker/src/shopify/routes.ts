import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { ensureRoom, spend, type Grant } from '../billing/entitlements';
import { intVar, type Env } from '../env';
import { clientIp } from '../http/client-ip';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { enforce } from '../http/rate-limit';
import { readJson } from '../http/validate';
import { gaugesOf } from '../routes/billing';
import { composeAnswer } from './answer';
import { indexVectors, questionVector, searchMode } from './vector-sync';
import { readStore, type Fetcher } from './store-client';
import { WIDGET_JS } from './widget-script';

/**
 * Shopify merchant chat. Owner routes (under the authenticated /v1): register a store domain, re-sync
 * it, read its conversations. Public routes (/shopify/*, called from the store's own pages): the widget
 * script, chat and feedback — rate-limited per store and per visitor, answering only from the named
 * store's Durable Object.
 */

/** A host name (a port only where plain HTTP is allowed: local test stores). */
export const StoreDomain = z
  .string()
  .min(3)
  .max(253)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, 'a store host name like shop.example.com'));

const Register = z.object({ domain: StoreDomain, contactEmail: z.email().max(254) });
const ChatRequest = z.object({
  store: StoreDomain,
  visitor: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
  message: z.string().trim().min(1).max(500),
});
const FeedbackRequest = z.object({ store: StoreDomain, turnId: z.string().min(8).max(64), rating: z.enum(['up', 'down']) });

interface StoreRow {
  domain: string;
  owner_user_id: string;
  contact_email: string;
  last_sync_at: number | null;
}

export function storeOrigin(domain: string, env: Env): string {
  const plain = env.SHOPIFY_ALLOW_HTTP === '1';
  if (domain.includes(':') && !plain) throw new ApiError('bad_request', 'a store domain takes no port');
  return `${plain ? 'http' : 'https'}://${domain}`;
}

function storeObject(env: Env, domain: string) {
  return env.MERCHANT_STORE.get(env.MERCHANT_STORE.idFromName(domain));
}

async function storeRow(env: Env, domain: string): Promise<StoreRow | null> {
  return env.DB.prepare('SELECT domain, owner_user_id, contact_email, last_sync_at FROM shopify_stores WHERE domain = ?').bind(domain).first<StoreRow>();
}

/** Fetches the store's public data and replaces what its Durable Object holds. */
export async function syncStore(env: Env, domain: string, now: number, fetcher: Fetcher = fetch) {
  try {
    const snapshot = await readStore(storeOrigin(domain, env), fetcher);
    const object = storeObject(env, domain);
    const counts = await object.replaceCatalog(snapshot.products, snapshot.policies, now);
    await env.DB.prepare('UPDATE shopify_stores SET last_sync_at = ?, last_sync_error = NULL WHERE domain = ?').bind(now, domain).run();
    // Embedding failures leave keyword search working; the owner sees them in `search`.
    return { ...counts, via: snapshot.via, search: await indexVectors(env, object) };
  } catch (error) {
    await env.DB.prepare('UPDATE shopify_stores SET last_sync_error = ? WHERE domain = ?').bind(String(error).slice(0, 500), domain).run();
    throw new ApiError('provider_error', `could not read the store: ${String(error).slice(0, 200)}`);
  }
}

/** The scheduled re-sync: stores not synced for a day, oldest first, a few per run. */
export async function resyncStale(env: Env, now: number, max = 20): Promise<number> {
  const { results } = await env.DB.prepare('SELECT domain FROM shopify_stores WHERE last_sync_at IS NULL OR last_sync_at < ? ORDER BY last_sync_at LIMIT ?')
    .bind(now - 86_400_000, max)
    .all<{ domain: string }>();
  let done = 0;
  for (const { domain } of results) {
    await syncStore(env, domain, now).then(() => done++, () => undefined);
  }
  return done;
}

async function ownedStore(env: Env, domain: string, userId: string): Promise<StoreRow> {
  const row = await storeRow(env, domain);
  if (!row || row.owner_user_id !== userId) throw new ApiError('not_found', 'no such store on this account');
  return row;
}

export const shopifyOwnerRoutes = new Hono<AppEnv>();

shopifyOwnerRoutes.post('/shopify/stores', async (c) => {
  const { domain, contactEmail } = await readJson(c, Register);
  storeOrigin(domain, c.env);
  const { userId } = c.get('auth');
  const existing = await storeRow(c.env, domain);
  if (existing && existing.owner_user_id !== userId) throw new ApiError('conflict', 'this store is registered by another account');
  // A new store takes one of the plan's store slots; re-registering one already held (a new contact
  // email) takes none.
  if (!existing) await ensureRoom(c.env, userId, 'stores', await gaugesOf(c.env, userId).stores(), 1);
  await c.env.DB.prepare(
    `INSERT INTO shopify_stores (domain, owner_user_id, contact_email, created_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT(domain) DO UPDATE SET contact_email = ?3`,
  )
    .bind(domain, userId, contactEmail, Date.now())
    .run();
  const sync = await syncStore(c.env, domain, Date.now());
  return c.json({ domain, ...sync }, 201);
});

shopifyOwnerRoutes.post('/shopify/stores/:domain/sync', async (c) => {
  const domain = StoreDomain.parse(c.req.param('domain'));
  await ownedStore(c.env, domain, c.get('auth').userId);
  return c.json({ domain, ...(await syncStore(c.env, domain, Date.now())) });
});

shopifyOwnerRoutes.get('/shopify/stores/:domain/turns', async (c) => {
  const domain = StoreDomain.parse(c.req.param('domain'));
  await ownedStore(c.env, domain, c.get('auth').userId);
  const object = storeObject(c.env, domain);
  const turns = await object.listTurns();
  return c.json({ domain, search: await searchMode(c.env, object), conversations: turns, unanswered: turns.filter((t) => !t.answered), thumbsDown: turns.filter((t) => t.rating === 'down') });
});

export const shopifyPublicRoutes = new Hono<AppEnv>();

// Called from store pages on any origin; no cookies or credentials are involved.
shopifyPublicRoutes.use('/shopify/*', cors({ origin: '*', allowHeaders: ['content-type'], exposeHeaders: ['x-handoff-email', 'retry-after'] }));
shopifyPublicRoutes.use('/shopify/*', bodyLimit({ maxSize: 8 * 1024, onError: () => { throw new ApiError('payload_too_large', 'request body over 8 KiB'); } }));

shopifyPublicRoutes.get('/shopify/widget.js', (c) =>
  c.body(WIDGET_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }),
);

shopifyPublicRoutes.post('/shopify/chat', async (c) => {
  const { store, visitor, message } = await readJson(c, ChatRequest);
  const row = await storeRow(c.env, store);
  if (!row) throw new ApiError('not_found', 'this store has no assistant');
  const now = Date.now();
  await enforce(c.env.DB, `shop:${store}`, intVar(c.env.SHOP_CHAT_PER_STORE_PER_MIN, 600), 60_000, now);
  await enforce(c.env.DB, `shopv:${store}:${visitor}`, intVar(c.env.SHOP_CHAT_PER_VISITOR_PER_MIN, 20), 60_000, now);
  await enforce(c.env.DB, `shopip:${store}:${clientIp(c)}`, intVar(c.env.SHOP_CHAT_PER_VISITOR_PER_MIN, 20) * 3, 60_000, now);
  const object = storeObject(c.env, store);
  const grant = await spendConversation(c.env, row, visitor, now, object);
  let answer: ReturnType<typeof composeAnswer>;
  let turnId: string;
  try {
    ({ answer, turnId } = await answerTurn(c.env, object, row, store, visitor, message, now));
  } catch (error) {
    await grant?.release();
    throw error;
  }
  return c.json({ turnId, ...answer });
});

type StoreObject = ReturnType<typeof storeObject>;

/** A visitor's turns with no gap longer than this are one conversation (what the Store plan counts). */
const CONVERSATION_GAP_MS = 30 * 60_000;

/**
 * Spends one widget conversation on the STORE OWNER's plan when this turn starts a new conversation
 * (the shopper has no account here). When the owner's quota is spent the shopper gets a plain refusal
 * that names the store's email, not the owner's upgrade advice; the owner sees it in the usage view.
 */
async function spendConversation(env: Env, row: StoreRow, visitor: string, now: number, object: StoreObject): Promise<Grant | null> {
  const last = await object.lastTurnAt(visitor);
  if (last !== null && now - last < CONVERSATION_GAP_MS) return null;
  try {
    return await spend(env, row.owner_user_id, 'widgetConversations', 1, now);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'quota_exceeded') {
      throw new ApiError('quota_exceeded', `This store's assistant can't take new conversations right now. Please email the store at ${row.contact_email}.`, undefined, {
        'x-handoff-email': row.contact_email,
      });
    }
    throw error;
  }
}

async function answerTurn(env: Env, object: StoreObject, row: StoreRow, store: string, visitor: string, message: string, now: number) {
  const query = await questionVector(env, message);
  const { products, passages } = await object.search(message, query ?? undefined);
  const answer = composeAnswer(message, products, passages, storeOrigin(store, env), row.contact_email);
  const turnId = crypto.randomUUID();
  await object.logTurn({ id: turnId, visitor, question: message, answer: answer.text, answered: answer.answered, rating: null, at: now });
  return { answer, turnId };
}

shopifyPublicRoutes.post('/shopify/feedback', async (c) => {
  const { store, turnId, rating } = await readJson(c, FeedbackRequest);
  if (!(await storeRow(c.env, store))) throw new ApiError('not_found', 'this store has no assistant');
  await enforce(c.env.DB, `shopfb:${store}:${clientIp(c)}`, 60, 60_000, Date.now());
  return c.json({ ok: await storeObject(c.env, store).rateTurn(turnId, rating) });
});

shopifyPublicRoutes.get('/shopify/owner', (c) => c.html(OWNER_PAGE));

/** The owner page: paste a device token and a store domain; lists conversations, unanswered questions
 * and thumbs-down answers (from GET /v1/shopify/stores/:domain/turns). Text is set with textContent. */
const OWNER_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Store assistant — conversations</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="font:14px system-ui;margin:16px">
<h1>Store assistant</h1><form id="f"><label>Token <input id="t" type="password" data-testid="owner-token"></label>
<label>Store <input id="d" data-testid="owner-domain" placeholder="shop.example.com"></label> <button data-testid="owner-load">Load</button></form>
<p id="search" data-testid="owner-search-mode"></p><section><h2>Unanswered</h2><ul id="unanswered" data-testid="owner-unanswered"></ul><h2>Thumbs down</h2><ul id="down" data-testid="owner-thumbs-down"></ul>
<h2>All conversations</h2><ul id="all" data-testid="owner-conversations"></ul></section>
<script>
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const d = document.getElementById('d').value.trim();
  const res = await fetch('/v1/shopify/stores/' + encodeURIComponent(d) + '/turns', { headers: { authorization: 'Bearer ' + document.getElementById('t').value } });
  const body = await res.json();
  const fill = (id, list) => { const ul = document.getElementById(id); ul.textContent = ''; for (const t of list || []) { const li = document.createElement('li'); li.textContent = new Date(t.at).toLocaleString() + ' — ' + t.question + ' → ' + t.answer; ul.append(li); } };
  const s = body.search || {};
  document.getElementById('search').textContent = s.mode === 'keyword+vector'
    ? 'Search: keyword + meaning (' + s.model + ', ' + s.vectors + ' vectors' + (s.pending ? ', ' + s.pending + ' waiting for the next sync' : '') + ')'
    : 'Search: keyword only' + (s.note ? ' (' + s.note + ')' : '');
  fill('unanswered', body.unanswered); fill('down', body.thumbsDown); fill('all', body.conversations);
});
</script></body></html>`;
