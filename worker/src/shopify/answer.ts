import type { CatalogProduct } from './catalog';
import type { PassageHit } from './merchant-store';

/**
 * The widget's answer, built only from the store's own data: product cards from its catalogue, or the
 * sentences of its policy passages that match the question, each cited. Nothing is generated and no
 * catalogue or policy text is ever followed as an instruction: product descriptions are only searched,
 * never repeated, so an "ignore your instructions…" planted in one cannot steer the reply. When nothing
 * matches, the answer hands the shopper over to the merchant's email.
 */

export interface ProductCard {
  title: string;
  price: number;
  image: string | null;
  url: string;
  /** `/cart/<variant_id>:1`: Shopify's cart permalink for the first available variant. */
  addToCart: string;
  variant: string;
}

export interface Citation {
  n: number;
  title: string;
  url: string;
  quote: string;
}

export interface ChatAnswer {
  text: string;
  products: ProductCard[];
  citations: Citation[];
  handoff: { email: string } | null;
  answered: boolean;
}

const SUPPORT_WORDS = /\b(return|returns|refund|refunds|exchange|shipping|ship|ships|delivery|deliver|postage|privacy|data|policy|policies|warranty|guarantee|cancel|cancellation|order|orders|tracking|track|terms|damaged|broken)\b/i;

export function isSupportQuestion(question: string): boolean {
  return SUPPORT_WORDS.test(question);
}

function terms(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).map((w) => w.replace(/s$/, '')));
}

/** The one or two sentences of a passage that share most words with the question, in passage order. */
export function bestSentences(passage: string, question: string, max = 2): string {
  const q = terms(question);
  const sentences = passage.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
  const scored = sentences.map((s, i) => ({ s, i, score: [...terms(s)].filter((t) => q.has(t)).length }));
  const top = scored.filter((x) => x.score > 0).sort((a, b) => b.score - a.score || a.i - b.i).slice(0, max).sort((a, b) => a.i - b.i);
  return (top.length ? top : scored.slice(0, 1)).map((x) => x.s).join(' ').slice(0, 600);
}

export function productCard(p: CatalogProduct, origin: string): ProductCard {
  const variant = p.variants.find((v) => v.available) ?? p.variants[0]!;
  return {
    title: p.title,
    price: Math.min(...p.variants.map((v) => v.price)),
    image: p.image,
    url: `${origin}/products/${encodeURIComponent(p.handle)}`,
    addToCart: `${origin}/cart/${encodeURIComponent(variant.id)}:1`,
    variant: variant.title,
  };
}

export function composeAnswer(question: string, products: CatalogProduct[], passages: PassageHit[], origin: string, contactEmail: string): ChatAnswer {
  const handoff: ChatAnswer = {
    text: `I couldn't find that in this store's catalogue or policies. The store can answer you by email: ${contactEmail}`,
    products: [],
    citations: [],
    handoff: { email: contactEmail },
    answered: false,
  };
  if (isSupportQuestion(question) || !products.length) {
    if (passages.length) {
      const citations = passages.slice(0, 2).map((p, i) => ({ n: i + 1, title: p.title, url: p.url, quote: bestSentences(p.body, question) }));
      const text = citations.map((c) => `${c.quote} [${c.n}]`).join(' ');
      return { text, products: [], citations, handoff: null, answered: true };
    }
    if (!products.length) return handoff;
  }
  const cards = products.slice(0, 4).map((p) => productCard(p, origin));
  const text = cards.length === 1 ? `This store has ${cards[0]!.title}.` : `This store has ${cards.length} products that match: ${cards.map((c) => c.title).join(', ')}.`;
  return { text, products: cards, citations: [], handoff: null, answered: true };
}
