/**
 * Reads a byte stream up to a limit: the one capped reader behind the request-body limit
 * (http/body-limit.ts) and the result-page reader (web-search/read-result-page.ts). Past the limit it
 * stops and hands back the reader, so each caller decides what happens to the rest: the body limit
 * drains some of it first (see there why), the page reader cancels it.
 */
export type CappedRead = { over: false; bytes: Uint8Array } | { over: true; size: number; reader: ReadableStreamDefaultReader<Uint8Array> };

export async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<CappedRead> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) return { over: true, size, reader };
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { over: false, bytes };
}
