import type { EncodedVector } from '../../../shared/schemas/sync';

/** Wire (base64) ⇄ bytes ⇄ unit-length float32, for the vectors that travel with records. */

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function floatsToBase64(values: ArrayLike<number>): string {
  return bytesToBase64(new Uint8Array(Float32Array.from(values).buffer));
}

/** Byte length an encoded chunk must have for `dims`. */
export function expectedBytes(encoding: EncodedVector['encoding'], dims: number): number {
  return encoding === 'f32' ? dims * 4 : dims;
}

/** Decodes stored bytes to float32 and normalises them, so cosine is a dot product. */
export function toUnitFloats(encoding: 'f32' | 'i8', scale: number, bytes: Uint8Array, dims: number): Float32Array {
  const out = new Float32Array(dims);
  if (encoding === 'f32') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < dims; i++) out[i] = view.getFloat32(i * 4, true);
  } else {
    const q = new Int8Array(bytes.buffer, bytes.byteOffset, dims);
    for (let i = 0; i < dims; i++) out[i] = q[i]! * scale;
  }
  return normalize(out);
}

export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}
