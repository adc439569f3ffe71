import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webPagesDir } from './paths';

export type Body = string | ((req: IncomingMessage, url: URL) => string);

export interface TestServer {
  /** `http://127.0.0.1:PORT` (or `https://…`) */
  origin: string;
  port: number;
  /** Serves `html` at `path` (query strings are ignored when matching); replaces what was there. */
  set(path: string, body: Body, contentType?: string): void;
  /** Stops serving `path` (it answers 404 afterwards). */
  remove(path: string): void;
  /** Requests seen, newest last (path + query), for tests that need to know a page was fetched. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A local web server for the suite, bound to 127.0.0.1 on a free port. It serves the real pages of
 * ../shared/reference/web-pages at `/web/<name>/` as they are on disk, and whatever a test registers
 * with `set` — modified copies of a real page at a fixed URL, SPA pages, forms. With `tls: true` it
 * speaks HTTPS with a throwaway self-signed certificate made by the openssl CLI, so a real host name
 * mapped to it (`--host-resolver-rules`) loads even where HSTS upgrades http to https.
 */
export async function startServer({ tls = false }: { tls?: boolean } = {}): Promise<TestServer> {
  const routes = new Map<string, { body: Body; type: string }>();
  const requests: string[] = [];

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    requests.push(url.pathname + url.search);
    const route = routes.get(url.pathname);
    if (route) {
      const body = typeof route.body === 'function' ? route.body(req, url) : route.body;
      res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    const real = /^\/web\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname);
    if (real) {
      try {
        const html = readFileSync(join(webPagesDir, real[1]!, 'source.html'));
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
        return;
      } catch {
        // fall through to 404
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  };

  let server;
  let certDir: string | undefined;
  if (tls) {
    certDir = mkdtempSync(join(tmpdir(), 'calico-e2e-cert-'));
    const key = join(certDir, 'key.pem');
    const cert = join(certDir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=calico-e2e'], {
      stdio: 'ignore',
    });
    server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, handler);
  } else {
    server = createHttpServer(handler);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    set(path, body, type = 'text/html; charset=utf-8') {
      routes.set(path, { body, type });
    },
    remove(path) {
      routes.delete(path);
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (certDir) rmSync(certDir, { recursive: true, force: true });
    },
  };
}

/** The source of one real page from the corpus. */
export function realPage(name: string): string {
  return readFileSync(join(webPagesDir, name, 'source.html'), 'utf8');
}

/** A minimal HTML document (text is escaped by the caller when it must be). */
export function htmlPage(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;
}
