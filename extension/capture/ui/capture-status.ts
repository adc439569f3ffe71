import type { MessageResponse } from '@shared/schemas/messages';
import type { Settings } from '@shared/schemas/records';
import { decideCapture } from '@/capture/privacy-policy';

/**
 * What the popup says about the current tab: is it being captured, and if not, why. The URL-based
 * reasons (not a web page, incognito, paused, denylisted) are decided here from the settings as they
 * are now; whether the page is a sign-in page only the page's content script can tell.
 */

export type TabAnswer = MessageResponse<'capture.status'> | null;
export type NotCapturedReason = NonNullable<MessageResponse<'capture.status'>['reason']> | 'not-loaded';

export interface CaptureLine {
  capturing: boolean;
  reason?: NotCapturedReason;
  text: string;
}

const WHY: Record<NotCapturedReason, string> = {
  'not-web': 'only web pages (http and https) are captured',
  'extension-page': 'this is one of CalicoLobster’s own pages',
  incognito: 'pages in incognito windows are never captured',
  paused: 'capture is paused',
  denylisted: 'this site is on your denylist',
  'sign-in-url': 'this is a sign-in page',
  'sign-in-form': 'this is a sign-in page',
  'not-loaded': 'the page was opened before CalicoLobster started — reload it to capture it',
};

export function captureLine(tab: { url?: string; incognito?: boolean } | undefined, settings: Settings, answer: TabAnswer): CaptureLine {
  const url = tab?.url ?? '';
  const decision = decideCapture(url, settings, { incognito: tab?.incognito === true });
  if (!decision.allowed) {
    const reason = decision.reason ?? 'not-web';
    return { capturing: false, reason, text: `Not capturing this page: ${WHY[reason]}.` };
  }
  if (!answer) return { capturing: false, reason: 'not-loaded', text: `Not capturing this page yet: ${WHY['not-loaded']}.` };
  if (!answer.capturing) {
    const reason = answer.reason ?? 'not-loaded';
    // Allowed now but refused when the page loaded (capture was paused, the site denylisted then).
    const stale = reason !== 'sign-in-url' && reason !== 'sign-in-form';
    return { capturing: false, reason, text: stale ? `Not capturing this page: ${WHY[reason]} when it loaded — reload it to capture it.` : `Not capturing this page: ${WHY[reason]}.` };
  }
  return { capturing: true, text: 'Capturing this page.' };
}
