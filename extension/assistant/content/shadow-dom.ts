/**
 * Building blocks for the in-page panels drawn inside a closed shadow root (the answer bubble, the image
 * composer): plain DOM, never HTML strings, so page or model text can only ever be text.
 */

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: { className?: string; testid?: string; text?: string } = {}): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.testid) node.dataset.testid = props.testid;
  if (props.text !== undefined) node.textContent = props.text;
  return node;
}

export function button(doc: Document, text: string, testid: string, className = 'btn'): HTMLButtonElement {
  const b = el(doc, 'button', { className, testid, text });
  b.type = 'button';
  return b;
}

/** The page-side host of an in-page panel and its closed shadow root. The host sits in the page's light
 * DOM, so the few properties that keep it out of the way are pinned against the page's styles. */
export function shadowHost(doc: Document, tag: string): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement(tag);
  host.style.setProperty('all', 'initial', 'important');
  host.style.setProperty('position', 'fixed', 'important');
  host.style.setProperty('top', '0', 'important');
  host.style.setProperty('left', '0', 'important');
  host.style.setProperty('z-index', '2147483647', 'important');
  return { host, root: host.attachShadow({ mode: 'closed' }) };
}
