import { Parser } from 'htmlparser2';
import { Handler, type RdfaNode, type Result } from 'htmlmetaparser';

/**
 * Everything the product extractor reads from a page, in one pass of htmlparser2 over its HTML:
 * microdata and RDFa graphs (htmlmetaparser, a maintained parser of both), the raw text of JSON-LD
 * blocks (parsed leniently in json-ld-text.ts, since real pages ship JSON-LD that strict JSON.parse
 * rejects), `<meta property|name>` pairs (OpenGraph product tags), JSON script blocks that may carry a
 * Shopify product object, and the page's title and first heading (to tell the page's own product from
 * related ones).
 *
 * Works on a string, so the content script (document.documentElement.outerHTML), Node tests and the
 * bench run the very same code.
 */

export interface PageMarkup {
  url: string;
  microdata: RdfaNode[];
  rdfa: RdfaNode[];
  jsonLdTexts: string[];
  /** Lower-cased property/name → contents, in page order. */
  meta: Map<string, string[]>;
  /** Text of `<script type="application/json">` blocks (and similar) that may hold a product object. */
  jsonScripts: string[];
  title: string;
  h1: string;
  /** Buttons, inputs, links and forms whose attributes or label say "add to cart / basket / bag" or
   * "buy now": a page showing one product has one or a few, a listing one per tile. */
  cartControls: number;
}

/** "Add to cart" in the words and attribute spellings shops use; "cart" alone (a header link) is not enough. */
const ADD_TO_CART =
  /add[\s_-]?(?:it[\s_-]?)?to[\s_-]?(?:cart|basket|bag|trolley)|addto(?:cart|basket|bag)|buy[\s_-]?(?:it[\s_-]?)?now|in den (?:warenkorb|einkaufswagen)|ajouter au panier|a[ñn]adir al carrito|agregar al carrito|aggiungi al carrello|adicionar ao carrinho|toevoegen aan (?:winkelwagen|winkelmand)|l[äa]gg i varukorgen|dodaj do koszyka|в корзину|カートに入れる|加入購物車|加入购物车|장바구니\s*담기|sepete ekle|أضف إلى السلة/i;
const CONTROL_TAGS = new Set(['button', 'input', 'a', 'form']);

/** Scripts can be megabytes of bundled code; only JSON-looking ones are kept, and only this much. */
const MAX_SCRIPT_CHARS = 2_000_000;
const MAX_JSON_SCRIPTS = 40;

function isJsonLdType(type: string): boolean {
  return type.trim().toLowerCase().split(';')[0] === 'application/ld+json';
}

function isJsonType(type: string): boolean {
  const t = type.trim().toLowerCase().split(';')[0] ?? '';
  return t === 'application/json' || t === 'text/json';
}

/** Forwards every parser event to htmlmetaparser and collects what it does not keep. */
class Collector {
  readonly out: PageMarkup;
  private scriptKind: 'ld' | 'json' | null = null;
  private scriptText = '';
  private inTitle = false;
  private h1Depth = 0;
  private h1Done = false;
  private buttonText: string | null = null;

  constructor(
    private readonly meta: Handler,
    url: string,
  ) {
    this.out = { url, microdata: [], rdfa: [], jsonLdTexts: [], meta: new Map(), jsonScripts: [], title: '', h1: '', cartControls: 0 };
  }

  onopentag(name: string, attrs: Record<string, string>): void {
    this.meta.onopentag(name, attrs);
    if (CONTROL_TAGS.has(name)) {
      const said = ['id', 'name', 'class', 'value', 'action', 'aria-label', 'title', 'data-action', 'data-testid'].map((k) => attrs[k] ?? '').join(' ');
      if (ADD_TO_CART.test(said.slice(0, 2000))) this.out.cartControls++;
      else if (name === 'button') this.buttonText = '';
    }
    if (name === 'script') {
      const type = attrs.type ?? '';
      this.scriptKind = isJsonLdType(type) ? 'ld' : isJsonType(type) ? 'json' : null;
      this.scriptText = '';
    } else if (name === 'meta') {
      const key = (attrs.property ?? attrs.name ?? attrs.itemprop ?? '').trim().toLowerCase();
      const content = attrs.content;
      if (key && content !== undefined && key.length < 128) {
        const list = this.out.meta.get(key) ?? [];
        if (list.length < 20) list.push(content.trim());
        this.out.meta.set(key, list);
      }
    } else if (name === 'title' && !this.out.title) {
      this.inTitle = true;
    } else if (name === 'h1' && !this.h1Done) {
      this.h1Depth++;
    }
  }

  ontext(text: string): void {
    this.meta.ontext(text);
    if (this.scriptKind && this.scriptText.length < MAX_SCRIPT_CHARS) this.scriptText += text;
    if (this.inTitle) this.out.title += text;
    if (this.buttonText !== null && this.buttonText.length < 200) this.buttonText += text;
    if (this.h1Depth > 0 && this.out.h1.length < 1000) this.out.h1 += text;
  }

  onclosetag(name: string): void {
    this.meta.onclosetag();
    if (name === 'button' && this.buttonText !== null) {
      if (ADD_TO_CART.test(this.buttonText)) this.out.cartControls++;
      this.buttonText = null;
    }
    if (name === 'script' && this.scriptKind) {
      if (this.scriptKind === 'ld') this.out.jsonLdTexts.push(this.scriptText);
      else if (this.out.jsonScripts.length < MAX_JSON_SCRIPTS && /"variants"\s*:/.test(this.scriptText)) this.out.jsonScripts.push(this.scriptText);
      this.scriptKind = null;
      this.scriptText = '';
    } else if (name === 'title') {
      this.inTitle = false;
    } else if (name === 'h1' && this.h1Depth > 0) {
      this.h1Depth--;
      if (this.h1Depth === 0 && this.out.h1.trim()) this.h1Done = true;
    }
  }

  onend(): void {
    this.meta.onend();
  }

  onerror(error: Error): void {
    this.meta.onerror(error);
  }
}

export function readPageMarkup(html: string, url: string): PageMarkup {
  let result: Result | undefined;
  const handler = new Handler(
    (error, r) => {
      if (!error) result = r;
    },
    { url },
  );
  const collector = new Collector(handler, url);
  const parser = new Parser(collector, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();
  const out = collector.out;
  out.microdata = result?.microdata ?? [];
  out.rdfa = result?.rdfa ?? [];
  out.title = out.title.replace(/\s+/g, ' ').trim();
  out.h1 = out.h1.replace(/\s+/g, ' ').trim();
  return out;
}
