/** Random ids, tokens and codes, and the SHA-256 they are stored as. Web Crypto only (workerd and Node). */

export function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Ids double as HLC node ids on the device, so they stay within [A-Za-z0-9_]. */
export const newUserId = () => `usr_${randomHex(10)}`;
export const newDeviceId = () => `dev_${randomHex(10)}`;

/** 256 bits of randomness; the prefix makes a leaked token recognisable to secret scanners. */
export function newToken(): string {
  return `clt_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** No 0/O, 1/I/L: codes are read off one screen and typed on another. 32 symbols × 8 = 40 bits. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newPairingCode(): string {
  // Rejection sampling keeps every symbol equally likely (256 is not a multiple of the alphabet size).
  const limit = 256 - (256 % CODE_ALPHABET.length);
  let code = '';
  while (code.length < 8) {
    for (const b of crypto.getRandomValues(new Uint8Array(16))) {
      if (b < limit && code.length < 8) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
    }
  }
  return code;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
