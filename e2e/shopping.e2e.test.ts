import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { readTable } from './support/database';
import { useSuite } from './support/suite';
import { click, openSurface, tid, typeInto } from './support/surfaces';
import { waitFor } from './support/wait';
import { startLocalWorker, type LocalWorker } from './support/local-worker';
import { startShopifyStoreDouble, twoStores } from '../worker/test/shopify-store-test-double';
import { DEFAULT_PLANS } from '../worker/src/billing/plans';

// Issue 12 (shopper side): the same product on two locally served stores (127.0.0.1 and localhost are
// two host names, so two stores) is saved with its price, grouped into one product, its price history
// drawn; the dearer page shows the badge naming the cheaper store; two products are compared.

interface StoreProduct {
  name: string;
  gtin: string;
  price: number;
  store: string;
  specs: [string, string][];
}

function storePage(p: StoreProduct): string {
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: p.name,
    brand: { '@type': 'Brand', name: 'Brewco' },
    gtin13: p.gtin,
    additionalProperty: p.specs.map(([name, value]) => ({ '@type': 'PropertyValue', name, value })),
    offers: { '@type': 'Offer', price: p.price.toFixed(2), priceCurrency: 'EUR', availability: 'https://schema.org/InStock' },
  };
  const words = 'A sturdy everyday product described at length so the page reads like a real store page. '.repeat(30);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${p.name} | ${p.store}</title>
<meta property="og:site_name" content="${p.store}">
<script type="application/ld+json">${JSON.stringify(ld)}</script></head>
<body><main style="max-width:600px;margin:120px auto"><h1>${p.name}</h1><p>€${p.price.toFixed(2)}</p>
<button id="add-to-cart" style="margin-top:20px">Add to cart</button><p>${words}</p></main></body></html>`;
}

interface ProductRow {
  id: string;
  name: string;
  storeDomain: string;
  price: number;
}

async function badgeOf(page: Page): Promise<{ kind: string | null; label: string | null } | null> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid="product-badge"]');
    return host ? { kind: host.getAttribute('data-kind'), label: host.getAttribute('aria-label') } : null;
  });
}

describe('shopping memory', () => {
  const s = useSuite();

  test('the same product on two stores is grouped, its price history drawn, and the cheaper store flagged on the dearer page', async () => {
    const { eb, web } = s;
    const kettle = { name: 'Brewco Steel Kettle 1.7 L', gtin: '4006381333931', specs: [['Capacity', '1.7 L'], ['Power', '2200 W']] as [string, string][] };
    web.set('/cheap/products/kettle', storePage({ ...kettle, price: 18, store: 'Cheap Kettles' }));
    web.set('/dear/products/kettle', storePage({ ...kettle, price: 30, store: 'Dear Kettles' }));
    web.set('/dear/products/toaster', storePage({ name: 'Brewco Toaster 2 Slice', gtin: '4006381333948', price: 25, store: 'Dear Kettles', specs: [['power', '900 W'], ['Slots', '2']] }));

    const cheap = await eb.open(`http://localhost:${web.port}/cheap/products/kettle`);
    await cheap.bringToFront();
    await waitFor(() => readTable<ProductRow>(eb, 'products' as never), (rows) => rows.length === 1, { timeout: 60_000, message: 'cheap product saved' });

    const dear = await eb.open(`${web.origin}/dear/products/kettle`);
    await dear.bringToFront();
    const rows = await waitFor(() => readTable<ProductRow>(eb, 'products' as never), (r) => r.length === 2, { timeout: 60_000, message: 'dear product saved' });
    expect(rows.map((r) => [r.storeDomain, r.price]).sort()).toEqual([
      ['127.0.0.1', 30],
      ['localhost', 18],
    ]);
    const observations = await readTable<{ price: number }>(eb, 'priceObservations' as never);
    expect(observations.map((o) => o.price).sort()).toEqual([18, 30]);

    // The dearer page names the cheaper store, in a corner that covers none of the page's controls.
    const badge = await waitFor(() => badgeOf(dear), (b) => b !== null, { timeout: 30_000, message: 'badge on the dearer page' });
    expect(badge!.kind).toBe('cheaper-elsewhere');
    expect(badge!.label).toMatch(/You saw this for €12\.00 less at Cheap Kettles/);
    const covered = await dear.evaluate(() => {
      const button = document.getElementById('add-to-cart')!.getBoundingClientRect();
      const host = document.querySelector('[data-testid="product-badge"]')!;
      const corner = host.getAttribute('data-corner') ?? '';
      // The badge box is 300×64 at 12 px from the corner it names.
      const left = corner.endsWith('left') ? 12 : innerWidth - 312;
      const top = corner.startsWith('top') ? 12 : innerHeight - 76;
      return !(button.right < left || button.left > left + 300 || button.bottom < top || button.top > top + 64);
    });
    expect(covered).toBe(false);

    await eb.open(`${web.origin}/dear/products/toaster`);
    await waitFor(() => readTable<ProductRow>(eb, 'products' as never), (r) => r.length === 3, { timeout: 60_000, message: 'toaster saved' });

    const panel = await openSurface(eb, 'sidepanel.html');
    await click(panel, 'tab-products');
    await panel.waitForSelector(`${tid('product-group')}[data-stores="2"]`, { timeout: 30_000 });
    const groups = await panel.$$eval(tid('product-group'), (els) => els.map((e) => ({ stores: e.getAttribute('data-stores'), name: e.querySelector('[data-testid="product-group-name"]')?.textContent })));
    expect(groups).toHaveLength(2);
    const kettleGroup = await panel.$(`${tid('product-group')}[data-stores="2"]`);
    expect(await kettleGroup!.$eval(tid('product-cheapest'), (e) => e.getAttribute('data-store'))).toBe('localhost');

    // Price history: one series per store, drawn on a canvas.
    await (await kettleGroup!.$(tid('product-group-name')))!.click();
    const chart = await panel.waitForSelector(tid('product-price-chart'), { timeout: 30_000 });
    expect(await chart!.evaluate((e) => [e.getAttribute('data-series'), e.getAttribute('data-points')])).toEqual(['2', '2']);
    const drawn = await chart!.$eval('canvas', (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
      return false;
    });
    expect(drawn).toBe(true);

    // Compare the two products: specs aligned by name ("Power" and "power" are one row).
    const toggles = await panel.$$(tid('product-compare-toggle'));
    for (const t of toggles) await t.click();
    await panel.waitForSelector(tid('product-compare-table'), { timeout: 30_000 });
    const compare = await panel.$$eval(tid('product-compare-row'), (els) => els.map((e) => [...e.children].map((c) => c.textContent?.trim())));
    const power = compare.find((r) => r[0]?.toLowerCase() === 'power');
    expect(power?.slice(1).sort()).toEqual(['2200 W', '900 W']);
    expect(compare.filter((r) => r[0]?.toLowerCase() === 'power')).toHaveLength(1);
    expect(compare.find((r) => r[0] === 'Price')?.slice(1).sort()).toEqual(['€18.00', '€25.00']);

  });

  // The assistant's Shopping scope answers a spec question from product memory, citing the product page.
  test('a spec question in the Shopping scope is answered from the visited product page, citing it', async () => {
    const { eb, web } = s;
    const panel = await openSurface(eb, 'sidepanel.html');
    await click(panel, 'sidepanel-tab-assistant');
    await panel.waitForSelector(tid('assistant-scope'));
    await panel.select(tid('assistant-scope'), 'shopping');
    await typeInto(panel, 'assistant-input', 'How much power does the Brewco toaster draw?');
    await click(panel, 'assistant-send');
    const reply = await waitFor(
      () =>
        panel.$$eval(tid('assistant-message'), (els) =>
          els
            .filter((e) => e.getAttribute('data-role') === 'assistant' && e.getAttribute('data-done') === 'true')
            .map((e) => ({
              text: (e.querySelector('[data-testid="assistant-answer"]')?.textContent ?? '').replace(/\s+/g, ' '),
              cites: [...e.querySelectorAll('[data-cite]')].map((b) => b.getAttribute('data-cite')),
              engine: e.getAttribute('data-engine'),
              sources: [...e.querySelectorAll('[data-testid="assistant-source"]')].map((b) => ({
                n: b.getAttribute('data-n'),
                title: b.textContent?.trim(),
                kind: b.getAttribute('data-kind'),
                detail: b.parentElement?.querySelector('[data-testid="assistant-source-detail"]')?.textContent?.trim() ?? null,
              })),
              searched: e.querySelector('[data-testid="assistant-engine"]')?.textContent ?? '',
            })),
        ),
      (ms) => ms.length > 0,
      { timeout: 60_000, message: 'a Shopping answer' },
    );
    const answer = reply[0]!;
    expect(answer.searched).toContain('product memory');
    expect(answer.text, answer.text).toContain('900 W');
    const toaster = answer.sources.find((x) => x.title === 'Brewco Toaster 2 Slice');
    expect(toaster, JSON.stringify(answer.sources)).toBeDefined();
    expect(answer.cites).toContain(toaster!.n);
    // Cited as a product: its lowest price and that store beside the name.
    expect(toaster!.kind).toBe('product');
    expect(toaster!.detail, JSON.stringify(toaster)).toMatch(/25.* at \S+/);
    // The citation opens the product page with the product's name selected.
    await panel.$eval(`${tid('assistant-source')}[data-n="${toaster!.n}"]`, (el) => (el as HTMLButtonElement).click());
    const toasterUrl = `${web.origin}/dear/products/toaster`;
    const selected = await waitFor(
      async () => {
        for (const p of await eb.browser.pages()) {
          if (p.url() !== toasterUrl) continue;
          const text = await p.evaluate(() => window.getSelection()?.toString() ?? '').catch(() => '');
          if (text) return text;
        }
        return '';
      },
      (text) => text.length > 0,
      { timeout: 30_000, message: 'the product page opened with its name selected' },
    );
    expect(selected.replace(/\s+/g, ' ').trim()).toBe('Brewco Toaster 2 Slice');
    await panel.bringToFront();
    const stored = await readTable<{ scope: string; messages: { role: string; sources?: { url: string }[] }[] }>(eb, 'conversations' as never);
    const conversation = stored.find((c) => c.scope === 'shopping');
    expect(conversation?.messages.find((m) => m.role === 'assistant')?.sources?.some((x) => x.url === `${web.origin}/dear/products/toaster`)).toBe(true);

    // From the Products tab: a question about the ticked product goes to the Shopping scope.
    await click(panel, 'tab-products');
    const toasterGroup = await panel.waitForSelector(`${tid('product-group')}[data-stores="1"]`, { timeout: 30_000 });
    await (await toasterGroup!.$(tid('product-compare-toggle')))!.click();
    await typeInto(panel, 'products-ask-input', 'How many slots?');
    await click(panel, 'products-ask-send');
    await panel.waitForSelector(tid('assistant-chat'), { timeout: 10_000 });
    const second = await waitFor(
      () =>
        panel.$$eval(tid('assistant-message'), (els) =>
          els.map((e) => ({ role: e.getAttribute('data-role'), done: e.getAttribute('data-done'), text: (e.textContent ?? '').replace(/\s+/g, ' ') })),
        ),
      (ms) => ms.some((m) => m.role === 'assistant' && m.done === 'true'),
      { timeout: 60_000, message: 'the answer to the Products tab question' },
    );
    expect(second.find((m) => m.role === 'user')?.text).toContain('How many slots? (about: Brewco Toaster 2 Slice)');
    expect(second.find((m) => m.role === 'assistant')?.text).toContain('Slots: 2');
    expect(await panel.$eval(tid('assistant-scope'), (e) => (e as HTMLSelectElement).value)).toBe('shopping');
    await panel.close();
  });

  test('the options list the sites where the badge is off; one can be added and switched back on', async () => {
    const options = await openSurface(s.eb, 'options.html');
    await options.waitForSelector(tid('badge-off-empty'));
    await typeInto(options, 'badge-off-input', `${s.web.origin}/dear/products/kettle`);
    await click(options, 'badge-off-add');
    await options.waitForSelector(`${tid('badge-off-site')}[data-site="127.0.0.1"]`, { timeout: 10_000 });
    const stored = await readTable<{ key: string; value: unknown }>(s.eb, 'settings' as never);
    expect(stored.find((r) => Array.isArray(r.value) && (r.value as string[]).includes('127.0.0.1'))).toBeDefined();
    await click(options, 'badge-off-remove');
    await options.waitForSelector(tid('badge-off-empty'), { timeout: 10_000 });
    await options.close();
  });

  // Issue 12 (merchant side): the widget, served by the local worker, on a page of one store answers
  // from that store's catalogue and never from the other's. Driven by keyboard (its shadow root is
  // closed): Tab to the launcher, Enter, type, Enter; the answers are read from the worker's replies.
  describe('merchant chat widget', () => {
    let worker: LocalWorker;
    let stores: { host: string; close(): Promise<void> }[];
    beforeAll(async () => {
      stores = await Promise.all(twoStores().map(startShopifyStoreDouble));
      // The owner's account is on Free; the plans given to this worker let Free hold the two stores and
      // their conversations (the Store plan's limits, without a Stripe checkout in this test).
      const store = DEFAULT_PLANS.find((p) => p.id === 'store')!;
      const plans = DEFAULT_PLANS.map((p) => (p.id === 'free' ? { ...p, limits: store.limits } : p));
      worker = await startLocalWorker({ vars: { SHOPIFY_ALLOW_HTTP: '1', PLANS: JSON.stringify(plans) } });
    }, 240_000);
    afterAll(async () => {
      await worker?.stop();
      await Promise.all((stores ?? []).map((x) => x.close()));
    });

    test('answers from the page’s store and never from the other store', async () => {
      const [coffee, electro] = stores.map((x) => x.host) as [string, string];
      const account = await (await fetch(`${worker.url}/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceName: 'Owner' }) })).json();
      for (const domain of [coffee, electro]) {
        const res = await fetch(`${worker.url}/v1/shopify/stores`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${account.token}` },
          body: JSON.stringify({ domain, contactEmail: 'owner@shop.example' }),
        });
        expect(res.status).toBe(201);
      }
      s.web.set('/coffee-shop/', `<!doctype html><html><head><meta charset="utf-8"><title>Narrative Coffee</title></head><body>
        <h1>Narrative Coffee</h1><p>Fresh coffee gear.</p>
        <script src="${worker.url}/shopify/widget.js" data-store="${coffee}" async></script></body></html>`);
      const page = await s.eb.open(`${s.web.origin}/coffee-shop/`);
      await page.bringToFront();
      await page.waitForSelector(tid('shop-chat'), { timeout: 30_000 });

      const askWidget = async (question: string) => {
        const reply = page.waitForResponse((r) => r.url().endsWith('/shopify/chat') && r.request().method() === 'POST', { timeout: 30_000 });
        await page.keyboard.type(question);
        await page.keyboard.press('Enter');
        return (await reply).json();
      };
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const ratio = await askWidget('Ratio Eight walnut');
      expect(ratio.products.map((p: { title: string }) => p.title)).toContain('Ratio Eight');
      expect(ratio.products.every((p: { addToCart: string }) => p.addToCart.startsWith(`http://${coffee}/cart/`))).toBe(true);
      const microwave = await askWidget('microwave 800W');
      expect(microwave.products).toEqual([]);
      expect(microwave.handoff).toEqual({ email: 'owner@shop.example' });
      expect(JSON.stringify(microwave)).not.toContain('Panasonic');
      const returns = await askWidget('How many days do I have to return an item?');
      expect(returns.citations[0].url).toBe(`http://${coffee}/policies/refund-policy`);
      expect(returns.text).toContain('30 days');
      await page.close();
    });
  });
});
