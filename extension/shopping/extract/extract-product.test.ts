import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldMatches, FIELDS, loadManifest, readPage, truthOf, type ManifestRow } from '../../../bench/products';
import { extractProduct, extractWithVerdict } from './extract-product';

// The reference pages live beside the repository (../shared), never inside the product.
const PAGES = resolve(import.meta.dirname, '../../../../shared/reference/product-pages');
const haveReference = existsSync(resolve(PAGES, 'manifest.jsonl'));

describe.skipIf(!haveReference)('extraction on the reference product pages', () => {
  const rows = haveReference ? loadManifest(PAGES) : [];
  // Every third page with product markup: a sample that keeps the test quick on a loaded machine.
  const sample = rows.filter((r) => r.ground_truth).filter((_, i) => i % 3 === 0);

  it.each(sample.map((r) => [r.site, r] as [string, ManifestRow]))('%s matches its manifest', (_site, row) => {
    const product = extractProduct(readPage(PAGES, row), row.url);
    expect(product).not.toBeNull();
    for (const field of FIELDS) {
      const want = truthOf(row, field);
      if (want === null) continue;
      expect(fieldMatches(field, product?.[field] ?? null, want), `${field}: ${JSON.stringify(product?.[field])} vs ${JSON.stringify(want)}`).toBe(true);
    }
  });

  it.each(rows.filter((r) => r.page_kind !== 'product').map((r) => [r.page_kind, r] as [string, ManifestRow]))('%s is not a product', (_kind, row) => {
    const result = extractWithVerdict(readPage(PAGES, row), row.url);
    expect(result.product).toBeNull();
    expect(result.verdict).not.toBe('product');
  });
});

const page = (head: string, body = '') => `<!doctype html><html><head><title>Shop</title>${head}</head><body>${body}</body></html>`;

describe('extractProduct on small pages', () => {
  it('reads a JSON-LD ProductGroup with variants, specs and rating', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@type': 'ProductGroup',
      name: 'Trail Shoe &amp; Co',
      brand: { '@type': 'Brand', name: 'Acme' },
      productGroupID: 'TS-1',
      aggregateRating: { '@type': 'AggregateRating', ratingValue: '4,5', reviewCount: 12 },
      additionalProperty: [{ '@type': 'PropertyValue', name: 'Weight', value: '280', unitText: 'g' }],
      hasVariant: [
        { '@type': 'Product', name: 'Trail Shoe 42', sku: 'TS-42', gtin13: '4006381333931', size: '42', offers: { '@type': 'Offer', price: '89.90', priceCurrency: 'eur', availability: 'https://schema.org/InStock' } },
        { '@type': 'Product', name: 'Trail Shoe 43', sku: 'TS-43', size: '43', offers: { '@type': 'Offer', price: 89.9, priceCurrency: 'EUR', availability: 'OutOfStock' } },
      ],
    };
    const p = extractProduct(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`), 'https://shop.example/p/1');
    expect(p).toMatchObject({ name: 'Trail Shoe & Co', brand: 'Acme', price: 89.9, currency: 'EUR', availability: 'InStock', gtin: '4006381333931', sku: 'TS-42', rating: 4.5, reviewCount: 12, storeDomain: 'shop.example' });
    expect(p?.variants.map((v) => [v.sku, v.availability, v.options[0]?.value])).toEqual([
      ['TS-42', 'InStock', '42'],
      ['TS-43', 'OutOfStock', '43'],
    ]);
    expect(p?.specs).toContainEqual({ name: 'Weight', value: '280 g' });
  });

  it('repairs JSON-LD that strict JSON rejects (raw newlines, trailing commas)', () => {
    const text = '{"@type":"Product","name":"Lamp\nwhite","offers":{"@type":"Offer","price":"12.50","priceCurrency":"GBP",},}';
    expect(extractProduct(page(`<script type="application/ld+json">${text}</script>`), 'https://a.example/x')).toMatchObject({ name: 'Lamp white', price: 12.5, currency: 'GBP' });
  });

  it('reads microdata, with OpenGraph filling what it leaves out', () => {
    const html = page(
      '<meta property="og:type" content="product"><meta property="og:site_name" content="Kettles Ltd"><meta property="product:price:currency" content="GBP">',
      `<h1>Steel Kettle</h1><div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Steel Kettle</span>
       <span itemprop="brand">Brewco</span><meta itemprop="mpn" content="K-100">
       <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span itemprop="price" content="24.99">£24.99</span>
       <link itemprop="availability" href="http://schema.org/InStock"></div></div>`,
    );
    expect(extractProduct(html, 'https://kettles.example/k')).toMatchObject({ name: 'Steel Kettle', brand: 'Brewco', mpn: 'K-100', price: 24.99, currency: 'GBP', availability: 'InStock', storeName: 'Kettles Ltd' });
  });

  it('follows @id references inside a JSON-LD graph', () => {
    const graph = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage', '@id': '#page', mainEntity: { '@id': '#product' } },
        { '@type': 'Product', '@id': '#product', name: 'Wool Socks', brand: { '@id': '#brand' }, offers: { '@id': '#offer' } },
        { '@type': 'Brand', '@id': '#brand', name: 'Knitco' },
        { '@type': 'Offer', '@id': '#offer', price: '9.00', priceCurrency: 'GBP', availability: 'InStock' },
      ],
    };
    expect(extractProduct(page(`<script type="application/ld+json">${JSON.stringify(graph)}</script>`), 'https://socks.example/s')).toMatchObject({ name: 'Wool Socks', brand: 'Knitco', price: 9, currency: 'GBP', availability: 'InStock' });
  });

  it('reads the retired data-vocabulary.org microdata older shops still carry', () => {
    const html = page(
      '',
      `<div itemscope itemtype="http://data-vocabulary.org/Product"><h1 itemprop="name">Garden Chair</h1><span itemprop="brand">Seatco</span>
       <span itemprop="offerDetails" itemscope itemtype="http://data-vocabulary.org/Offer"><meta itemprop="currency" content="USD"><span itemprop="price">49.50</span>
       <span itemprop="availability" content="in_stock"></span></span></div>`,
    );
    expect(extractProduct(html, 'https://chairs.example/c')).toMatchObject({ name: 'Garden Chair', brand: 'Seatco', price: 49.5, currency: 'USD', availability: 'InStock' });
  });

  it('reads RDFa', () => {
    const html = page(
      '',
      `<div vocab="https://schema.org/" typeof="Product"><span property="name">Desk Fan</span>
       <div property="offers" typeof="Offer"><span property="price">19.00</span><span property="priceCurrency">USD</span></div></div>`,
    );
    expect(extractProduct(html, 'https://fans.example/f')).toMatchObject({ name: 'Desk Fan', price: 19, currency: 'USD', sources: ['rdfa'] });
  });

  it('reads OpenGraph product tags alone', () => {
    const html = page('<meta property="og:type" content="product"><meta property="og:title" content="Blue Mug"><meta property="product:price:amount" content="8,50"><meta property="product:price:currency" content="EUR">');
    expect(extractProduct(html, 'https://mugs.example/m')).toMatchObject({ name: 'Blue Mug', price: 8.5, currency: 'EUR', sources: ['opengraph'] });
  });

  it('tells a listing of several products from a product page', () => {
    const tile = (n: number) => `<div itemprop="itemListElement" itemscope itemtype="http://schema.org/Product"><span itemprop="name">Chair model ${n}</span><div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span itemprop="price">${n}0.00</span></div></div>`;
    const listing = page('', `<h1>Chairs</h1><div itemscope itemtype="http://schema.org/ItemList">${[1, 2, 3, 4].map(tile).join('')}</div>`);
    expect(extractWithVerdict(listing, 'https://c.example/chairs').product).toBeNull();
    const related = (n: number) => `<script type="application/ld+json">{"@type":"Product","name":"Other thing ${n}","offers":{"@type":"Offer","price":"${n}"}}</script>`;
    const productPage = page(`${related(1)}<script type="application/ld+json">{"@type":"Product","name":"Oak Table","offers":{"@type":"Offer","price":"300"}}</script>${related(2)}`, '<h1>Oak Table</h1>');
    expect(extractProduct(productPage, 'https://c.example/oak')).toMatchObject({ name: 'Oak Table', price: 300 });
  });

  it('does not save a review article about a product, or an event with ticket offers', () => {
    const review = page(
      '<meta property="og:type" content="article"><script type="application/ld+json">{"@type":"Review","itemReviewed":{"@type":"Product","name":"Phone X"},"reviewBody":"Good"}</script>',
      '<h1>Phone X review</h1>',
    );
    expect(extractWithVerdict(review, 'https://news.example/r').verdict).not.toBe('product');
    const event = page('<script type="application/ld+json">{"@type":"MusicEvent","name":"Band live","offers":{"@type":"Offer","price":"30","priceCurrency":"GBP"}}</script>');
    expect(extractWithVerdict(event, 'https://tickets.example/e').product).toBeNull();
  });

  it('reads a page without markup from its heading and its one add-to-cart control', () => {
    const html = page('', '<h1>Garden Hose 20 m</h1><form action="/cart/add"><button id="add-to-cart-button">Add to Cart</button></form>');
    expect(extractProduct(html, 'https://hoses.example/h')).toMatchObject({ name: 'Garden Hose 20 m', sources: ['page'] });
    expect(extractProduct(page('', '<h1>About us</h1><a href="/cart">Cart</a>'), 'https://hoses.example/about')).toBeNull();
  });
});

describe.skipIf(!haveReference)('Shopify product JSON', () => {
  it('reads a /products/<handle>.js object (cents) with its variants and options', () => {
    const json = JSON.parse(readFileSync(resolve(PAGES, 'shopify/Shopify__theme-scripts/theme-product-form__product-object.json'), 'utf8'));
    const p = extractProduct(page(''), 'https://tk-narrative.example/products/ratio-eight', { shopifyProduct: json, shopifyCurrency: 'USD' });
    expect(p).toMatchObject({ name: 'Ratio Eight', brand: 'tk-narrative', currency: 'USD', sources: ['shopify'] });
    expect(p?.price).toBeGreaterThanOrEqual(520);
    expect(p?.price).toBeLessThanOrEqual(600);
    expect(p?.variants).toHaveLength(8);
    expect(p?.variants[0]?.options.map((o) => o.name)).toEqual(['Color', 'Voltage', 'Size']);
  });

  it('reads a storefront product object embedded in a page as JSON', () => {
    const json = readFileSync(resolve(PAGES, 'shopify/derived__mediamarkt-pt/aspirador-robot-roborock-s6-pure-preto.product.js.json'), 'utf8');
    const p = extractProduct(page('', `<h1>Aspirador</h1><script type="application/json" data-product-json>${json}</script>`), 'https://store.example/products/aspirador-robot-roborock-s6-pure-preto');
    expect(p).toMatchObject({ name: 'Aspirador Robot Roborock S6 Pure Preto', brand: 'Roborock', price: 499, sku: '1257009', gtin: '6970995781410', availability: 'InStock' });
  });
});
