import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback **test double** of an OpenAI-compatible `/v1/embeddings` endpoint, for the worker's
 * merchant search by meaning. It is no model: each text becomes a deterministic hashed bag of its
 * words' character trigrams (so "cofee grindr" lands near "Coffee Grinder", and a text sharing no
 * trigram with another is nearly orthogonal to it), unit length, DIMS wide.
 */
export const EMBEDDINGS_TEST_DOUBLE_DIMS = 256;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function testDoubleVector(text: string, dims = EMBEDDINGS_TEST_DOUBLE_DIMS): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const padded = `#${word}#`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const h = fnv1a(padded.slice(i, i + 3));
      v[h % dims]! += h & 0x80000000 ? -1 : 1;
    }
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

export interface EmbeddingsTestDouble {
  url: string;
  close(): Promise<void>;
}

export function startEmbeddingsTestDouble(): Promise<EmbeddingsTestDouble> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return res.writeHead(404).end();
      let body: { model?: string; input?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return res.writeHead(400).end('{"error":{"message":"bad json"}}');
      }
      const texts = Array.isArray(body.input) ? body.input.map(String) : typeof body.input === 'string' ? [body.input] : null;
      if (!texts || !body.model) return res.writeHead(400).end('{"error":{"message":"model and input are required"}}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ object: 'list', model: body.model, data: texts.map((t, index) => ({ object: 'embedding', index, embedding: testDoubleVector(t) })) }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/v1`, close: () => new Promise<void>((r) => server.close(() => r())) });
    }),
  );
}
