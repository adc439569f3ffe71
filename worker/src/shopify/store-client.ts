import { catalogProductOf, htmlToText, type CatalogProduct, type PolicyPage } from './catalog';

/**
 * Reads a Shopify store's public data. Where the store exposes Shopify's agent endpoint
 * (`/api/ucp/mcp`, MCP over JSON-RPC) and it lists a catalogue search tool, the catalogue comes from
 * that tool; otherwise (and whenever the MCP call fails) from the storefront JSON endpoints:
 * `/products.json?limit=250&page=N` until a short page. Policies come from `/policies/<name>` pages,
 * the FAQ from `/pages/faq` (a missing page is skipped).
 *
 * Only fixed paths on the registered origin are fetched, without cookies or credentials.
 */

export const POLICY_PATHS = ['refund-policy', 'shipping-policy', 'privacy-policy', 'terms-of-service'] as const;
/** Online-store pages read as support passages too: the FAQ, at the handle Shopify themes give it. */
export const FAQ_PATHS = ['faq'] as const;
const MAX_PAGES = 40;
const PAGE_SIZE = 250;
const FETCH_MS = 10_000;

export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

export interface StoreSnapshot {
  products: CatalogProduct[];
  policies: PolicyPage[];
  via: 'mcp' | 'json';
}

async function get(fetcher: Fetcher, url: string, init: RequestInit = {}): Promise<Response | null> {
  try {
    return await fetcher(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(FETCH_MS) });
  } catch {
    return null;
  }
}

async function mcpCall(fetcher: Fetcher, origin: string, method: string, params: unknown, id: number): Promise<unknown> {
  const res = await get(fetcher, `${origin}/api/ucp/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  if (!res?.ok) return null;
  const body = (await res.json().catch(() => null)) as { result?: unknown } | null;
  return body?.result ?? null;
}

/** MCP tool results carry their data as text content holding JSON. */
function productsFromToolResult(result: unknown): CatalogProduct[] {
  const content = (result as { content?: { type?: string; text?: string }[] } | null)?.content ?? [];
  const out: CatalogProduct[] = [];
  for (const part of content) {
    if (part.type !== 'text' || !part.text) continue;
    try {
      const data = JSON.parse(part.text) as { products?: unknown[] };
      for (const p of data.products ?? []) {
        const product = catalogProductOf(p);
        if (product) out.push(product);
      }
    } catch {
      // Not JSON: a tool's prose answer holds no catalogue.
    }
  }
  return out;
}

async function catalogViaMcp(fetcher: Fetcher, origin: string): Promise<CatalogProduct[] | null> {
  const tools = (await mcpCall(fetcher, origin, 'tools/list', {}, 1)) as { tools?: { name?: string }[] } | null;
  const search = tools?.tools?.find((t) => t.name && /search.*catalog/i.test(t.name))?.name;
  if (!search) return null;
  const result = await mcpCall(fetcher, origin, 'tools/call', { name: search, arguments: { query: '', limit: 250 } }, 2);
  const products = productsFromToolResult(result);
  return products.length ? products : null;
}

async function catalogViaJson(fetcher: Fetcher, origin: string): Promise<CatalogProduct[]> {
  const products: CatalogProduct[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await get(fetcher, `${origin}/products.json?limit=${PAGE_SIZE}&page=${page}`, { headers: { accept: 'application/json' } });
    if (!res?.ok) {
      if (page === 1) throw new Error(`${origin}/products.json answered ${res?.status ?? 'nothing'}`);
      break;
    }
    const body = (await res.json().catch(() => null)) as { products?: unknown[] } | null;
    const raw = body?.products ?? [];
    for (const p of raw) {
      const product = catalogProductOf(p);
      if (product) products.push(product);
    }
    if (raw.length < PAGE_SIZE) break;
  }
  return products;
}

async function policies(fetcher: Fetcher, origin: string): Promise<PolicyPage[]> {
  const out: PolicyPage[] = [];
  const urls = [...POLICY_PATHS.map((name) => ({ name, url: `${origin}/policies/${name}` })), ...FAQ_PATHS.map((name) => ({ name, url: `${origin}/pages/${name}` }))];
  for (const { name, url } of urls) {
    const res = await get(fetcher, url, { headers: { accept: 'text/html' } });
    if (!res?.ok) continue;
    const html = await res.text();
    const title = htmlToText(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? name.replace(/-/g, ' ')).slice(0, 256);
    const main = /<main[^>]*>([\s\S]*?)<\/main>/i.exec(html)?.[1] ?? /<body[^>]*>([\s\S]*?)<\/body>/i.exec(html)?.[1] ?? html;
    const body = htmlToText(main).slice(0, 50_000);
    if (body) out.push({ url, title, body });
  }
  return out;
}

export async function readStore(origin: string, fetcher: Fetcher = fetch): Promise<StoreSnapshot> {
  const viaMcp = await catalogViaMcp(fetcher, origin).catch(() => null);
  const products = viaMcp ?? (await catalogViaJson(fetcher, origin));
  return { products, policies: await policies(fetcher, origin), via: viaMcp ? 'mcp' : 'json' };
}
