import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level: equal inputs, equal text.
 * A key whose value is null is left out like an absent one, at every level
 * (SPEC §8: null and absent mean the same, so a retry that drops `info: null`
 * is the same request). Nulls inside arrays keep their place.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && obj[k] !== null)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The request fingerprint: a hash of the operation name and its canonical input. */
export function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(input)).digest('base64url');
}
