import type { ProductInsight } from '@shared/schemas/products';

/**
 * The product badge: a small note in a closed shadow root, in a corner of the viewport where it covers
 * none of the page's controls (links, buttons, fields) — the first free one of bottom-left,
 * bottom-right, top-right, top-left; when every corner holds a control it is not shown at all.
 * Dismissible, and switchable off for the site. Text is set with textContent only.
 */

const WIDTH = 300;
const HEIGHT = 64;
const MARGIN = 12;
const INTERACTIVE = 'a, button, input, select, textarea, summary, label, [role="button"], [role="link"], [onclick], [tabindex]:not([tabindex="-1"])';

interface Corner {
  name: string;
  left: number;
  top: number;
}

function corners(): Corner[] {
  const w = window.innerWidth;
  const h = window.innerHeight;
  return [
    { name: 'bottom-left', left: MARGIN, top: h - HEIGHT - MARGIN },
    { name: 'bottom-right', left: w - WIDTH - MARGIN, top: h - HEIGHT - MARGIN },
    { name: 'top-right', left: w - WIDTH - MARGIN, top: MARGIN },
    { name: 'top-left', left: MARGIN, top: MARGIN },
  ];
}

/** Samples a grid over the box: any interactive element under a point means the corner is taken. */
export function cornerIsFree(corner: Corner, doc: Document = document): boolean {
  for (let x = corner.left; x <= corner.left + WIDTH; x += WIDTH / 6) {
    for (let y = corner.top; y <= corner.top + HEIGHT; y += HEIGHT / 3) {
      for (const el of doc.elementsFromPoint(x, y)) {
        if (el.closest(INTERACTIVE)) return false;
      }
    }
  }
  return true;
}

export function freeCorner(doc: Document = document): Corner | null {
  if (window.innerWidth < WIDTH + 2 * MARGIN) return null;
  return corners().find((c) => cornerIsFree(c, doc)) ?? null;
}

const STYLE = `
:host { all: initial; }
.badge { position: fixed; box-sizing: border-box; width: ${WIDTH}px; min-height: 40px; max-height: ${HEIGHT}px; padding: 8px 10px;
  display: flex; gap: 8px; align-items: center; font: 13px/1.3 system-ui, sans-serif; color: #1f2937; background: #fffbeb;
  border: 1px solid #f59e0b; border-radius: 8px; box-shadow: 0 2px 8px rgba(0,0,0,.15); z-index: 2147483646; }
.text { flex: 1; overflow: hidden; }
button { font: inherit; font-size: 12px; border: 0; background: transparent; color: #92400e; cursor: pointer; padding: 2px 4px; }
button:focus-visible { outline: 2px solid #92400e; }
`;

export interface BadgeHandlers {
  onOffForSite(): void;
}

export interface BadgeContext {
  onInvalidated(cb: () => void): void;
}

export function showProductBadge(ctx: BadgeContext, insight: ProductInsight, handlers: BadgeHandlers, doc: Document = document): HTMLElement | null {
  const corner = freeCorner(doc);
  if (!corner) return null;
  const host = doc.createElement('calicolobster-product-badge');
  host.setAttribute('data-testid', 'product-badge');
  host.setAttribute('data-kind', insight.kind);
  host.setAttribute('data-corner', corner.name);
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const box = doc.createElement('div');
  box.className = 'badge';
  box.setAttribute('role', 'status');
  box.style.left = `${corner.left}px`;
  box.style.top = `${corner.top}px`;
  const text = doc.createElement('span');
  text.className = 'text';
  text.textContent = insight.text;
  const off = doc.createElement('button');
  off.textContent = 'Off here';
  off.title = 'Never show this note on this site';
  const close = doc.createElement('button');
  close.textContent = '✕';
  close.setAttribute('aria-label', 'Dismiss');
  const remove = () => host.remove();
  close.addEventListener('click', remove);
  off.addEventListener('click', () => {
    handlers.onOffForSite();
    remove();
  });
  box.append(text, off, close);
  root.append(style, box);
  // The host's light DOM carries the message too (for assistive tech and tests), never as HTML.
  host.setAttribute('aria-label', insight.text);
  (doc.body ?? doc.documentElement).append(host);
  ctx.onInvalidated(remove);
  return host;
}
