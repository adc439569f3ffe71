import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vm from 'node:vm';

/**
 * Stand-ins (test doubles) for the Apps Script services the add-on's server code uses — DocumentApp,
 * PropertiesService, UrlFetchApp, HtmlService — and a loader that runs the add-on's real .js files in
 * one V8 context the way Apps Script does (every file's top level shares one global scope).
 */
export const SRC = resolve(import.meta.dirname, '../src');
/** The server files. Their top levels only declare (functions, constants, the prompts bundle), so the
 * order Apps Script loads them in does not matter; server.test.ts loads them in both orders. */
export const SERVER_FILES = ['prompts.generated.js', 'worker-client.js', 'document.js', 'Code.js'];

// --- PropertiesService -------------------------------------------------------------------------

export class PropertiesStandIn {
  readonly store = new Map<string, string>();
  getProperty(key: string) {
    return this.store.get(key) ?? null;
  }
  setProperty(key: string, value: string) {
    this.store.set(key, String(value));
    return this;
  }
  setProperties(values: Record<string, string>) {
    for (const [k, v] of Object.entries(values)) this.store.set(k, String(v));
    return this;
  }
  deleteProperty(key: string) {
    this.store.delete(key);
    return this;
  }
  getProperties() {
    return Object.fromEntries(this.store);
  }
}

// --- UrlFetchApp ------------------------------------------------------------------------------

export interface FetchParams {
  method?: string;
  contentType?: string;
  payload?: string;
  headers?: Record<string, string>;
  muteHttpExceptions?: boolean;
}
export interface StandInReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}
export type FetchHandler = (url: string, params: FetchParams) => StandInReply;

/** UrlFetchApp stand-in: synchronous like the real one; every request is kept for the test to read. */
export function urlFetchStandIn(handler: FetchHandler) {
  const requests: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  return {
    requests,
    fetch(url: string, params: FetchParams = {}) {
      requests.push({ url, method: (params.method ?? 'get').toLowerCase(), headers: params.headers ?? {}, body: params.payload ? JSON.parse(params.payload) : undefined });
      const reply = handler(url, params);
      if (reply.status >= 400 && !params.muteHttpExceptions) throw new Error(`Request failed for ${url} returned code ${reply.status}`);
      return { getResponseCode: () => reply.status, getContentText: () => reply.body, getHeaders: () => reply.headers ?? {} };
    },
  };
}

export const sse = (...events: [string, unknown][]) => events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');

// --- DocumentApp ------------------------------------------------------------------------------

/** A paragraph of the document stand-in; like a Docs Paragraph/Text, it edits as text. */
export class TextStandIn {
  constructor(
    public text: string,
    private readonly doc: DocumentStandIn,
  ) {}
  getText() {
    return this.text;
  }
  setText(text: string) {
    this.text = text;
    return this;
  }
  editAsText() {
    return this;
  }
  deleteText(start: number, endInclusive: number) {
    this.text = this.text.slice(0, start) + this.text.slice(endInclusive + 1);
    return this;
  }
  insertText(offset: number, text: string) {
    this.text = this.text.slice(0, offset) + text + this.text.slice(offset);
    return this;
  }
  removeFromParent() {
    if (this.doc.paragraphs.length === 1) throw new Error("Can't remove the last paragraph in a document section.");
    this.doc.paragraphs.splice(this.doc.paragraphs.indexOf(this), 1);
    return this;
  }
}

export interface RangeSpec {
  paragraph: number;
  /** Inclusive end, as Docs reports it; omitted → the whole paragraph. */
  start?: number;
  end?: number;
}

export class DocumentStandIn {
  paragraphs: TextStandIn[];
  selection: RangeSpec[] | null = null;
  cursor: { paragraph: number; offset: number } | null = null;
  readonly links: { text: string; url: string }[] = [];
  readonly sidebars: { title: string; html: string }[] = [];
  readonly menus: { items: [string, string][] }[] = [];

  constructor(paragraphs: string[]) {
    this.paragraphs = paragraphs.map((p) => new TextStandIn(p, this));
  }

  text() {
    return this.paragraphs.map((p) => p.text).join('\n');
  }

  /** The DocumentApp global. */
  service() {
    const self = this;
    const doc = {
      getSelection() {
        if (!self.selection) return null;
        const ranges = self.selection.map((r) => ({ el: self.paragraphs[r.paragraph]!, r }));
        return {
          getRangeElements: () =>
            ranges.map(({ el, r }) => ({
              getElement: () => el,
              isPartial: () => r.start !== undefined,
              getStartOffset: () => (r.start === undefined ? -1 : r.start),
              getEndOffsetInclusive: () => (r.end === undefined ? -1 : r.end),
            })),
        };
      },
      getCursor() {
        const c = self.cursor;
        if (!c) return null;
        return {
          // Like Docs: the text goes in as a new run at the cursor; the returned element is that run.
          insertText(text: string) {
            const p = self.paragraphs[c.paragraph]!;
            p.insertText(c.offset, text);
            return {
              getText: () => text,
              setLinkUrl(start: number, endInclusive: number, url: string) {
                self.links.push({ text: text.slice(start, endInclusive + 1), url });
              },
            };
          },
        };
      },
      newPosition(el: { getText(): string }, offset: number) {
        return { el, offset };
      },
      setCursor(pos: { offset: number }) {
        if (self.cursor) self.cursor = { paragraph: self.cursor.paragraph, offset: self.cursor.offset + pos.offset };
      },
    };
    return {
      getActiveDocument: () => doc,
      getUi: () => ({
        createAddonMenu() {
          const menu = { items: [] as [string, string][] };
          const api = {
            addItem(label: string, fn: string) {
              menu.items.push([label, fn]);
              return api;
            },
            addToUi() {
              self.menus.push(menu);
            },
          };
          return api;
        },
        showSidebar(output: { title: string; content: string }) {
          self.sidebars.push({ title: output.title, html: output.content });
        },
      }),
    };
  }
}

// --- HtmlService ------------------------------------------------------------------------------

/** Reads the add-on's .html files and evaluates `<?!= expr ?>` scriptlets in the server's context. */
function htmlServiceStandIn(context: () => vm.Context) {
  const output = (content: string) => {
    const o = {
      title: '',
      content,
      getContent: () => content,
      setTitle(title: string) {
        o.title = title;
        return o;
      },
    };
    return o;
  };
  return {
    createHtmlOutputFromFile: (name: string) => output(readFileSync(resolve(SRC, `${name}.html`), 'utf8')),
    createTemplateFromFile: (name: string) => ({
      evaluate: () =>
        output(readFileSync(resolve(SRC, `${name}.html`), 'utf8').replace(/<\?!=\s*([\s\S]*?);?\s*\?>/g, (_, expr: string) => String(vm.runInContext(expr, context())))),
    }),
  };
}

// --- The server ------------------------------------------------------------------------------

export interface Server {
  [fn: string]: (...args: any[]) => any;
}

export function loadServer(stand: { document?: DocumentStandIn; properties?: PropertiesStandIn; fetch: { fetch: (url: string, params?: FetchParams) => unknown }; files?: string[] }) {
  const document = stand.document ?? new DocumentStandIn(['']);
  const properties = stand.properties ?? new PropertiesStandIn();
  let context: vm.Context;
  context = vm.createContext({
    DocumentApp: document.service(),
    PropertiesService: { getUserProperties: () => properties, getScriptProperties: () => properties },
    UrlFetchApp: stand.fetch,
    HtmlService: htmlServiceStandIn(() => context),
    console,
  });
  for (const file of stand.files ?? SERVER_FILES) vm.runInContext(readFileSync(resolve(SRC, file), 'utf8'), context, { filename: file });
  return { server: context as unknown as Server, document, properties, context };
}
