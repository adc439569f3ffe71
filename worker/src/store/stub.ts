import type { Env } from '../env';

/** The one way to reach a user's store: named by the authenticated user id, never by request input. */
export function userStore(env: Env, userId: string) {
  return env.USER_STORE.get(env.USER_STORE.idFromName(userId));
}
