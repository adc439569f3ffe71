import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * TEST DOUBLE of the few Stripe API endpoints the worker calls (the official `stripe` library is pointed
 * at it with STRIPE_API_BASE). Not Stripe: it answers each call with an object of the real shape and
 * records what was asked, so tests can check the worker asked for the right thing.
 *   POST   /v1/checkout/sessions          → a checkout session with a url
 *   POST   /v1/billing_portal/sessions    → a portal session with a url
 *   DELETE /v1/subscriptions/:id          → the subscription, cancelled
 *   POST   /v1/billing/meter_events       → the meter event
 *   GET    /__log                         → every request so far (method, path, form fields)
 *   POST   /__down?on=1|0                 → answer 503 to every API call (Stripe unreachable) or not
 */
export interface StripeLogEntry {
  method: string;
  path: string;
  form: Record<string, string>;
  idempotencyKey: string | undefined;
}

export function startStripeTestDouble(): Promise<{ url: string; close: () => Promise<void> }> {
  const log: StripeLogEntry[] = [];
  let down = false;
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/__log') return send(200, log);
      if (url.pathname === '/__down') {
        down = url.searchParams.get('on') === '1';
        return send(200, { down });
      }
      const form = Object.fromEntries(new URLSearchParams(raw));
      log.push({ method: req.method ?? '', path: url.pathname, form, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      if (down) return send(503, { error: { type: 'api_error', message: 'test double is down' } });
      n += 1;
      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        return send(200, { id: `cs_test_${n}`, object: 'checkout.session', mode: form.mode, url: `https://checkout.stripe.test/c/pay/cs_test_${n}`, client_reference_id: form.client_reference_id ?? null });
      }
      if (req.method === 'POST' && url.pathname === '/v1/billing_portal/sessions') {
        return send(200, { id: `bps_${n}`, object: 'billing_portal.session', customer: form.customer, url: `https://billing.stripe.test/p/session/${n}` });
      }
      const cancel = /^\/v1\/subscriptions\/([A-Za-z0-9_]+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && cancel) return send(200, { id: cancel[1], object: 'subscription', status: 'canceled' });
      if (req.method === 'POST' && url.pathname === '/v1/billing/meter_events') {
        return send(200, { object: 'billing.meter_event', event_name: form.event_name, identifier: form.identifier, payload: {}, timestamp: Number(form.timestamp) });
      }
      send(404, { error: { type: 'invalid_request_error', message: `no route ${req.method} ${url.pathname} in the test double` } });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}
