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
