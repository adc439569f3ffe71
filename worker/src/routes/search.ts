import { Hono } from 'hono';
import { SearchRequest } from '../../../shared/schemas/cloud';
import type { AppEnv } from '../http/context';
import { readJson } from '../http/validate';
import { userStore } from '../store/stub';

/** Hybrid search over the caller's own records (the store is chosen by the token's user, nothing else). */
export const searchRoutes = new Hono<AppEnv>().post('/search', async (c) => {
  const body = await readJson(c, SearchRequest);
  const auth = c.get('auth');
  return c.json(await userStore(c.env, auth.userId).search(auth.userId, body));
});
