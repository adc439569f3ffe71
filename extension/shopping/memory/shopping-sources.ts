import type { AskSource } from '@/ai/engines/types';
import { getDb, type CalicoDb } from '@/db/database';
import { retrieveProducts } from './retrieve-products';

/**
 * The sources of the assistant's "Shopping" scope: product memory first (each product, grouped
 * across stores, as one numbered source citing its product page, with specs, prices per store and
 * price history written out), then the best passages of the person's reading (the product pages' own
 * text with their reviews, review sites, comparisons), numbered after the products.
 *
 * The chat (extension/assistant/chat/chat-answer.ts) calls this through `ChatDeps.retrieveProducts`;
 * everything about what a shopping answer sees lives here.
 */

export const MAX_PRODUCT_SOURCES = 6;
export const MAX_MEMORY_SOURCES = 4;

export interface ShoppingSources {
  sources: AskSource[];
  products: number;
  passages: number;
}

export async function shoppingSources(
  question: string,
  retrieveMemory?: (question: string) => Promise<AskSource[]>,
  db: CalicoDb = getDb(),
): Promise<ShoppingSources> {
  const cited = (await retrieveProducts(question, db)).slice(0, MAX_PRODUCT_SOURCES);
  const products: AskSource[] = cited.map((c, i) => ({
    n: i + 1,
    id: `product:${c.sourceId}`,
    kind: 'page',
    sourceId: c.url,
    url: c.url,
    title: c.title,
    site: hostOf(c.url),
    text: c.text,
    ...(c.detail ? { detail: c.detail } : {}),
  }));
  // Other reading is a supplement: a memory search that fails (the offscreen document is restarting)
  // leaves the product answer whole.
  const memory = retrieveMemory ? await retrieveMemory(question).catch(() => [] as AskSource[]) : [];
  const passages = memory
    .slice(0, MAX_MEMORY_SOURCES)
    .map((m, i) => ({ ...m, n: products.length + i + 1 }));
  return { sources: [...products, ...passages], products: products.length, passages: passages.length };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
