import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The payment gateway's signature (SPEC §4): hex HMAC-SHA256 with the shared
 * secret over every field but `sign`, as `key=value` joined by `&`, keys in
 * byte order. Values are signed as received (form fields are text; a JSON
 * number is signed in its JavaScript text form, `100`).
 */
export function signingText(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'sign')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

export function sign(fields: Record<string, string>, secret: string): string {
  return createHmac('sha256', secret).update(signingText(fields)).digest('hex');
}

/** Constant-time comparison of the given hex signature with the expected one. */
export function signatureMatches(fields: Record<string, string>, secret: string): boolean {
  const given = fields.sign;
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = Buffer.from(sign(fields, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
