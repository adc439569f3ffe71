import { z } from 'zod';
import { getDb, type CalicoDb } from '@/db/database';

/**
 * Google sign-in for the Drive connector with chrome.identity.launchWebAuthFlow (works in every
 * Chromium, unlike getAuthToken): the OAuth client id is the user's own ("Chrome extension" or "Web
 * application" client in their Google Cloud project, with this extension's redirect URL allowed), so
 * no secret ships with us. Read-only Drive scope; the token (about an hour) is kept in the `state` table
 * and asked again, silently when possible, once it expires.
 */
export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';
const TOKEN_KEY = 'connector-token:google-drive';
const StoredToken = z.object({ accessToken: z.string().min(1).max(4096), expiresAt: z.number() });

export interface IdentityApi {
  getRedirectURL(path?: string): string;
  launchWebAuthFlow(details: { url: string; interactive?: boolean }): Promise<string | undefined>;
}

export function authUrl(clientId: string, redirectUri: string): string {
  const u = new URL('https://accounts.google.com/o/oauth2/v2/auth');
  u.searchParams.set('client_id', clientId);
  u.searchParams.set('response_type', 'token');
  u.searchParams.set('redirect_uri', redirectUri);
  u.searchParams.set('scope', DRIVE_SCOPE);
  return u.toString();
}

/** The access token from the redirect URL's fragment, or the error Google put there. */
export function tokenFromRedirect(redirect: string, now = Date.now()): { accessToken: string; expiresAt: number } {
  const fragment = new URLSearchParams(new URL(redirect).hash.slice(1));
  const error = fragment.get('error') ?? new URL(redirect).searchParams.get('error');
  if (error) throw new Error(`Google sign-in failed: ${error}`);
  const accessToken = fragment.get('access_token');
  if (!accessToken) throw new Error('Google sign-in returned no access token');
  const seconds = Number(fragment.get('expires_in') ?? '3600');
  return { accessToken, expiresAt: now + (Number.isFinite(seconds) ? seconds : 3600) * 1000 - 60_000 };
}

export async function googleAccessToken(clientId: string, options: { interactive: boolean; identity?: IdentityApi; db?: CalicoDb; now?: () => number }): Promise<string> {
  const db = options.db ?? getDb();
  const now = options.now ?? Date.now;
  const saved = StoredToken.safeParse((await db.state.get(TOKEN_KEY))?.value);
  if (saved.success && saved.data.expiresAt > now()) return saved.data.accessToken;
  if (!clientId.trim()) throw new Error('Set your Google OAuth client id first.');
  const identity = options.identity ?? (chrome.identity as unknown as IdentityApi);
  const redirect = await identity.launchWebAuthFlow({ url: authUrl(clientId.trim(), identity.getRedirectURL('google')), interactive: options.interactive });
  if (!redirect) throw new Error('Google sign-in was closed before it finished');
  const token = tokenFromRedirect(redirect, now());
  await db.state.put({ key: TOKEN_KEY, value: token });
  return token.accessToken;
}

export async function forgetGoogleToken(db: CalicoDb = getDb()): Promise<void> {
  await db.state.delete(TOKEN_KEY);
}
