import type { CDPSession, Page } from 'puppeteer-core';
import { waitFor, type WaitOptions } from './wait';

/**
 * Reaches into a CLOSED shadow root the way devtools does: page scripts (and puppeteer's `>>>`, which
 * runs in the page) can't see inside one, but the DevTools protocol's DOM domain can (`pierce: true`).
 * Reads go through `Runtime.callFunctionOn` on the resolved node; clicks are real mouse clicks at the
 * node's box, so the UI under test gets trusted events like a person's.
 */

interface DomNode {
  nodeId: number;
  localName?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

export class ClosedShadow {
  private cdp: CDPSession | undefined;

  constructor(
    private readonly page: Page,
    /** The host element's tag, e.g. `calico-bubble`. */
    private readonly hostTag: string,
  ) {}

  private async session(): Promise<CDPSession> {
    if (!this.cdp) {
      this.cdp = await this.page.createCDPSession();
      await this.cdp.send('DOM.enable');
    }
    return this.cdp;
  }

  /** nodeId of the host's shadow root, or null while there is no host. */
  private async shadowRootId(): Promise<number | null> {
    const cdp = await this.session();
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: DomNode };
    const stack: DomNode[] = [root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.localName === this.hostTag && node.shadowRoots?.length) return node.shadowRoots[0]!.nodeId;
      stack.push(...(node.children ?? []), ...(node.shadowRoots ?? []));
      if (node.contentDocument) stack.push(node.contentDocument);
    }
    return null;
  }

  /** nodeIds of every match of `selector` inside the shadow root. */
  async queryAll(selector: string): Promise<number[]> {
    const rootId = await this.shadowRootId();
    if (rootId === null) return [];
    const { nodeIds } = await (await this.session()).send('DOM.querySelectorAll', { nodeId: rootId, selector });
    return nodeIds;
  }

  async query(selector: string): Promise<number | null> {
    return (await this.queryAll(selector))[0] ?? null;
  }

  /** Runs `fn` with the element as `this` and returns its (JSON) result. */
  async call<T>(nodeId: number, fn: string): Promise<T> {
    const cdp = await this.session();
    const { object } = await cdp.send('DOM.resolveNode', { nodeId });
    const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId!, functionDeclaration: fn, returnByValue: true });
    if (exceptionDetails) throw new Error(`in the shadow root: ${exceptionDetails.text}`);
    return result.value as T;
  }

  /** Evaluates `fn` (called with the element as `this`) on the first match, or null when there is none. */
  async read<T>(selector: string, fn: string): Promise<T | null> {
    const id = await this.query(selector);
    return id === null ? null : this.call<T>(id, fn);
  }

  async text(selector: string): Promise<string | null> {
    return this.read<string>(selector, 'function () { return this.textContent; }');
  }

  async attr(selector: string, name: string): Promise<string | null> {
    return this.read<string | null>(selector, `function () { return this.getAttribute(${JSON.stringify(name)}); }`);
  }

  /** Waits until `selector` matches a visible element inside the root; returns its nodeId. */
  async waitFor(selector: string, options: WaitOptions = {}): Promise<number> {
    const id = await waitFor(
      async () => {
        const node = await this.query(selector);
        if (node === null) return null;
        const visible = await this.call<boolean>(node, 'function () { const r = this.getBoundingClientRect(); return !this.closest("[hidden]") && r.width > 0 && r.height > 0; }');
        return visible ? node : null;
      },
      (n) => n !== null,
      { message: `${selector} in <${this.hostTag}>`, ...options },
    );
    return id!;
  }

  /** A real mouse click in the middle of the element. */
  async click(selector: string, options: WaitOptions = {}): Promise<void> {
    const nodeId = await this.waitFor(selector, options);
    const cdp = await this.session();
    await cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId });
    const { model } = await cdp.send('DOM.getBoxModel', { nodeId });
    const [x1, y1, , , x3, y3] = model.content;
    await this.page.mouse.click((x1! + x3!) / 2, (y1! + y3!) / 2);
  }

  async detach(): Promise<void> {
    await this.cdp?.detach().catch(() => undefined);
    this.cdp = undefined;
  }
}
