import { createHash } from 'node:crypto';
import { canonicalJson, fingerprint } from '../../src/common/idempotency/canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys at every level, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives equal text for equal inputs written in another key order', () => {
    expect(canonicalJson({ appId: 1, amount: 5, info: null })).toBe(canonicalJson({ info: null, amount: 5, appId: 1 }));
  });

  it('drops undefined properties (as JSON does) and writes a top-level undefined as null', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  it('writes dates as ISO text and scalars as JSON', () => {
    expect(canonicalJson(new Date('2024-03-15T01:02:03.004Z'))).toBe('"2024-03-15T01:02:03.004Z"');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
  });
});

describe('fingerprint', () => {
  it('is the base64url SHA-256 of the operation, a newline and the canonical input', () => {
    const expected = createHash('sha256').update('pay\n{"a":1,"b":2}').digest('base64url');
    expect(fingerprint('pay', { b: 2, a: 1 })).toBe(expected);
  });

  it('differs by operation and by input', () => {
    const fp = fingerprint('pay', { amount: 5 });
    expect(fingerprint('recharge', { amount: 5 })).not.toBe(fp);
    expect(fingerprint('pay', { amount: 6 })).not.toBe(fp);
    expect(fingerprint('pay', { amount: 5 })).toBe(fp);
  });
});
