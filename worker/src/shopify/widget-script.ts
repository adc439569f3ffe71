/**
 * The merchant chat widget, served as one script (`<script src="https://WORKER/shopify/widget.js"
 * data-store="shop.example.com" async></script>`). It draws into a closed shadow root, so the store's
 * CSS can't break it and it can't restyle the store; every text it shows is set with textContent.
 * Keyboard: the launcher is a button, Enter sends, Escape closes and gives focus back. Placement: the
 * first viewport corner (bottom-left, bottom-right, top-left, top-right) with none of the store's
 * controls under it; on narrow screens the open panel is a bottom sheet at most 60 % of the height and
 * the launcher stays a 44 px circle in that free corner.
 */
export const WIDGET_JS = String.raw`(() => {
  const script = document.currentScript;
  const store = script && script.dataset.store;
  if (!store || window.__calicoShopChat) return;
  window.__calicoShopChat = true;
  const api = new URL(script.src).origin;
  const visitorKey = 'calico-shop-visitor';
  let visitor = localStorage.getItem(visitorKey);
  if (!visitor) { visitor = crypto.randomUUID(); localStorage.setItem(visitorKey, visitor); }

  const INTERACTIVE = 'a,button,input,select,textarea,[role="button"],[onclick]';
  function free(x, y, w, h) {
    for (let i = 0; i <= 4; i++) for (let j = 0; j <= 2; j++) {
      const el = document.elementFromPoint(x + (w * i) / 4, y + (h * j) / 2);
      if (el && el !== host && el.closest(INTERACTIVE)) return false;
    }
    return true;
  }
  const host = document.createElement('calico-shop-chat');
  host.setAttribute('data-testid', 'shop-chat');
  const root = host.attachShadow({ mode: 'closed' });
  const css = document.createElement('style');
  css.textContent = ':host{all:initial}*{box-sizing:border-box;font:14px/1.4 system-ui,sans-serif}' +
    '.launch{position:fixed;width:44px;height:44px;border-radius:22px;border:0;background:#111827;color:#fff;cursor:pointer;z-index:2147483646}' +
    '.panel{position:fixed;width:340px;max-width:calc(100vw - 16px);height:440px;max-height:60vh;background:#fff;border:1px solid #d1d5db;border-radius:10px;box-shadow:0 4px 16px rgba(0,0,0,.2);display:flex;flex-direction:column;z-index:2147483647}' +
    '.log{flex:1;overflow:auto;padding:8px}.msg{margin:6px 0}.me{text-align:right;color:#1e3a8a}' +
    '.card{display:flex;gap:8px;border:1px solid #e5e7eb;border-radius:6px;padding:6px;margin:4px 0}.card img{width:48px;height:48px;object-fit:cover}' +
    'form{display:flex;border-top:1px solid #e5e7eb}input{flex:1;border:0;padding:10px}button.send{border:0;background:#111827;color:#fff;padding:0 12px}' +
    'button:focus-visible,input:focus-visible,a:focus-visible{outline:2px solid #2563eb}' +
    '@media (max-width:480px){.panel{left:8px!important;right:8px;width:auto;bottom:8px!important;top:auto!important}}';
  const launch = document.createElement('button');
  launch.className = 'launch'; launch.type = 'button'; launch.textContent = '?';
  launch.setAttribute('aria-label', 'Ask this store'); launch.setAttribute('aria-expanded', 'false');
  const panel = document.createElement('div');
  panel.className = 'panel'; panel.hidden = true; panel.setAttribute('role', 'dialog'); panel.setAttribute('aria-label', 'Store assistant');
  const log = document.createElement('div'); log.className = 'log'; log.setAttribute('aria-live', 'polite');
  const form = document.createElement('form');
  const input = document.createElement('input'); input.setAttribute('aria-label', 'Your question'); input.placeholder = 'Ask about products, shipping, returns…'; input.maxLength = 500;
  const send = document.createElement('button'); send.className = 'send'; send.type = 'submit'; send.textContent = 'Send';
  form.append(input, send); panel.append(log, form); root.append(css, launch, panel);
  document.body.append(host);

  function place() {
    const w = innerWidth, h = innerHeight, m = 12;
    const corners = [[m, h - 44 - m], [w - 44 - m, h - 44 - m], [m, m], [w - 44 - m, m]];
    const c = corners.find(([x, y]) => free(x, y, 44, 44)) || corners[0];
    launch.style.left = c[0] + 'px'; launch.style.top = c[1] + 'px';
    panel.style.left = Math.min(c[0], w - 348) + 'px';
    panel.style.top = (c[1] > h / 2 ? Math.max(8, c[1] - 450) : c[1] + 52) + 'px';
  }
  place(); addEventListener('resize', place);

  function toggle(open) {
    panel.hidden = !open; launch.setAttribute('aria-expanded', String(open));
    if (open) input.focus(); else launch.focus();
  }
  launch.addEventListener('click', () => toggle(panel.hidden));
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') toggle(false); });

  function line(text, cls) { const p = document.createElement('div'); p.className = 'msg ' + (cls || ''); p.textContent = text; log.append(p); return p; }
  function render(a) {
    const box = line(a.text || '', 'bot');
    box.setAttribute('data-answered', String(!!a.answered));
    if (a.refused) box.setAttribute('role', 'alert');
    for (const c of a.products || []) {
      const card = document.createElement('div'); card.className = 'card';
      if (c.image) { const img = document.createElement('img'); img.src = c.image; img.alt = ''; card.append(img); }
      const info = document.createElement('div');
      const t = document.createElement('a'); t.href = c.url; t.textContent = c.title;
      const price = document.createElement('div'); price.textContent = c.price.toFixed(2);
      const add = document.createElement('a'); add.href = c.addToCart; add.textContent = 'Add to cart';
      info.append(t, price, add); card.append(info); box.append(card);
    }
    for (const c of a.citations || []) {
      const src = document.createElement('a'); src.href = c.url; src.textContent = ' [' + c.n + '] ' + c.title; box.append(src);
    }
    if (a.handoff) { const mail = document.createElement('a'); mail.href = 'mailto:' + a.handoff.email; mail.textContent = ' Email the store'; box.append(mail); }
    if (a.turnId) for (const r of ['up', 'down']) {
      const b = document.createElement('button'); b.type = 'button'; b.textContent = r === 'up' ? '👍' : '👎'; b.setAttribute('aria-label', r === 'up' ? 'Helpful' : 'Not helpful');
      b.addEventListener('click', () => fetch(api + '/shopify/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ store, turnId: a.turnId, rating: r }) }));
      box.append(b);
    }
    log.scrollTop = log.scrollHeight;
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = input.value.trim(); if (!q) return;
    input.value = ''; line(q, 'me');
    try {
      const res = await fetch(api + '/shopify/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ store, visitor, message: q }) });
      const body = await res.json();
      // A refusal (the store's conversation quota spent, too many messages) is shown as it is sent, with
      // the store's email to write to when the worker names one.
      const email = res.headers.get('x-handoff-email');
      render(res.ok ? body : { text: (body.error && body.error.message) || 'Something went wrong.', handoff: email ? { email } : null, refused: true });
    } catch { render({ text: 'The assistant is unreachable right now.' }); }
  });
})();`;
