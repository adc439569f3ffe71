/**
 * Is signing in what this page is for? Such pages are not captured at all (no visit, no text, no
 * highlights). The old rule — any password field anywhere in the markup — also dropped about one news
 * article in twenty, because their markup carries a hidden login or register modal. So a page is a
 * sign-in page only when
 * - its URL says so (a path segment such as `login`, `sign-in`, `wp-login.php`, `session/new`, or a
 *   host such as `login.example.com`), or
 * - a password field is *shown* and the sign-in form is the page's main content: outside forms,
 *   navigation, header and footer the page has little text of its own.
 * Field values are never stored either way: extract-page.ts removes every form field before reading.
 */

export type SignInReason = 'sign-in-url' | 'sign-in-form';

/** Fewer words than this outside forms and page chrome, next to a shown password field: a sign-in page.
 * Sign-in pages carry a heading, a line of welcome and links (tens of words); articles carry hundreds. */
export const MAIN_CONTENT_WORDS = 150;

const SIGN_IN_SEGMENT =
  /^(?:wp-)?(?:log-?in|log_in|logon|log-?on|sign-?in|sign_in|signon|sign-?on|servicelogin|authenticate|auth|authorize|sso|saml|oauth2?)(?:\.[a-z]{2,5})?$/;
const SIGN_IN_HOST = /^(?:login|signin|sso|auth|logon|idp)\./;

export function isSignInUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (SIGN_IN_HOST.test(url.hostname.toLowerCase())) return true;
  const segments = url.pathname.toLowerCase().split('/').filter(Boolean);
  if (segments.some((s) => SIGN_IN_SEGMENT.test(s))) return true;
  // Rails/Devise style: /session/new, /users/sessions/new
  return segments.some((s, i) => (s === 'session' || s === 'sessions') && segments[i + 1] === 'new');
}

/** Shown to the person: not hidden by an attribute, a closed dialog or CSS on it or any ancestor. */
export function isShown(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  const check = (el as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
  if (typeof check === 'function' && !check.call(el, { opacityProperty: true, visibilityProperty: true })) return false;
  for (let e: Element | null = el; e; e = e.parentElement) {
    if ((e as HTMLElement).hidden || e.getAttribute('aria-hidden') === 'true' || e.hasAttribute('inert')) return false;
    if (e.localName === 'dialog' && !(e as HTMLDialogElement).open) return false;
    const style = view?.getComputedStyle(e);
    if (style && (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse')) return false;
  }
  return true;
}

export function shownPasswordFields(doc: Document): HTMLInputElement[] {
  return [...doc.querySelectorAll<HTMLInputElement>('input[type="password" i]')].filter((input) => !input.disabled && isShown(input));
}

const NOT_CONTENT = 'form, nav, header, footer, script, style, noscript, template, [hidden], [aria-hidden="true"], dialog:not([open])';

/** Words of the page's own text: outside forms, navigation, header, footer and hidden parts. */
export function contentWords(doc: Document, limit = MAIN_CONTENT_WORDS): number {
  const body = doc.body;
  if (!body) return 0;
  const walker = doc.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */);
  let words = 0;
  for (let n = walker.nextNode(); n && words < limit; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || parent.closest(NOT_CONTENT)) continue;
    words += (n.nodeValue ?? '').split(/\s+/).filter(Boolean).length;
  }
  return words;
}

/** Why this page is a sign-in page, or null when it is not one. */
export function signInReason(doc: Document, url: string = doc.location?.href ?? ''): SignInReason | null {
  if (isSignInUrl(url)) return 'sign-in-url';
  if (shownPasswordFields(doc).length > 0 && contentWords(doc) < MAIN_CONTENT_WORDS) return 'sign-in-form';
  return null;
}
