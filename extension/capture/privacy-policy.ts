import type { Settings } from '@shared/schemas/records';
import { getDb, type CalicoDb } from '@/db/database';
import { getSettings } from '@/settings/settings-repository';
import { findDenyMatch, parseDenylist, type DenyPattern } from './denylist';

/**
 * Whether a page may be captured. The content script asks first and stays idle when the answer is no
 * (no visit, no text, no highlights), and the background asks again for every write, because settings
 * may have changed since the page loaded and a content script is not to be trusted with the decision.
 */

export type DenyReason = 'paused' | 'incognito' | 'not-web' | 'extension-page' | 'denylisted';
export interface PolicyDecision {
  allowed: boolean;
  reason?: DenyReason;
}

export interface PolicyContext {
  incognito?: boolean;
}

let cached: { key: string; patterns: DenyPattern[] } | undefined;

function compiledDenylist(denylist: readonly string[]): DenyPattern[] {
  const key = denylist.join('\n');
  if (cached?.key !== key) cached = { key, patterns: parseDenylist(denylist).patterns };
  return cached.patterns;
}

/** The decision for a URL under given settings (pure; the tests' main entry). */
export function decideCapture(url: string, settings: Settings, context: PolicyContext = {}): PolicyDecision {
  if (context.incognito) return { allowed: false, reason: 'incognito' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allowed: false, reason: 'not-web' };
  }
  if (parsed.protocol === 'chrome-extension:' || parsed.protocol === 'moz-extension:') return { allowed: false, reason: 'extension-page' };
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { allowed: false, reason: 'not-web' };
  if (settings.paused) return { allowed: false, reason: 'paused' };
  if (findDenyMatch(compiledDenylist(settings.denylist), url)) return { allowed: false, reason: 'denylisted' };
  return { allowed: true };
}

/**
 * The decision for a message from a content script: the page's own URL as the browser reports it
 * (`sender.tab.url` / `sender.url`) is checked as well as the URL the script claims, so a page can't
 * talk its way past the denylist by reporting another address.
 */
export async function capturePolicyFor(
  url: string,
  sender: chrome.runtime.MessageSender | undefined,
  db: CalicoDb = getDb(),
): Promise<PolicyDecision> {
  const settings = await getSettings(db);
  const context = { incognito: sender?.tab?.incognito === true };
  for (const candidate of [url, sender?.url, sender?.tab?.url]) {
    if (!candidate) continue;
    const decision = decideCapture(candidate, settings, context);
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}
