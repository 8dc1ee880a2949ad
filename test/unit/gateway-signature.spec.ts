import { createHmac } from 'node:crypto';
import { sign, signatureMatches, signingText } from '../../src/gateway/gateway-signature';

const SECRET = 'gateway-secret';
const fields = { orderNo: 'o-1', appId: '7', amount: '100', timestamp: '1700000000' };

describe('gateway signature', () => {
  it('signs every field but sign, as key=value joined by &, keys in byte order', () => {
    expect(signingText({ ...fields, sign: 'ignored', B: 'upper first' })).toBe(
      'B=upper first&amount=100&appId=7&orderNo=o-1&timestamp=1700000000',
    );
  });

  it('is the hex HMAC-SHA256 of that text with the shared secret', () => {
    const expected = createHmac('sha256', SECRET).update(signingText(fields)).digest('hex');
    expect(sign(fields, SECRET)).toBe(expected);
    expect(sign(fields, SECRET)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts its own signature, in either hex case', () => {
    const s = sign(fields, SECRET);
    expect(signatureMatches({ ...fields, sign: s }, SECRET)).toBe(true);
    expect(signatureMatches({ ...fields, sign: s.toUpperCase() }, SECRET)).toBe(true);
  });

  it('refuses another secret, a changed field, a missing or malformed signature', () => {
    const s = sign(fields, SECRET);
    expect(signatureMatches({ ...fields, sign: s }, 'other-secret')).toBe(false);
    expect(signatureMatches({ ...fields, amount: '101', sign: s }, SECRET)).toBe(false);
    expect(signatureMatches(fields, SECRET)).toBe(false);
    expect(signatureMatches({ ...fields, sign: s.slice(0, 63) }, SECRET)).toBe(false);
    expect(signatureMatches({ ...fields, sign: 'z'.repeat(64) }, SECRET)).toBe(false);
  });
});
