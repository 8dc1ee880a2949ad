import { ErrorCode } from '../errors/error-codes';

/**
 * The description of a root field, in one shape for every operation, so a
 * client reads in the schema who may call it, whether a retry is safe, and
 * what it may answer (test/schema-descriptions.spec.ts checks the shape).
 * `errors` are the codes particular to the operation; every operation may
 * also answer the common ones named at the end (see the ErrorCode enum).
 */
export function opDoc(
  summary: string,
  o: { who: string; idempotent: string; errors?: ErrorCode[]; query?: boolean },
): string {
  const own = o.errors?.length ? `${o.errors.join(', ')}; and ` : '';
  const db = o.query ? 'DB_READ_ERROR' : 'DB_WRITE_ERROR';
  return (
    `${summary}\n\nWho may call: ${o.who}\nIdempotent: ${o.idempotent}\n` +
    `Errors: ${own}UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, SERVER_BUSY, ${db}.`
  );
}

/** Common phrases. */
export const WHO = {
  any: 'ADMIN, OPERATOR (any app), APP (its own appId only).',
  admin: 'ADMIN.',
  adminApp: 'ADMIN, APP (its own appId only).',
  adminOperator: 'ADMIN, OPERATOR.',
};

export const IDEMPOTENT = {
  read: 'yes (a read).',
  order:
    'yes, on (appId, orderNo): a retry with the same input replays the first answer (`replayed: true`, a snapshot ' +
    'of that moment); another input under the same orderNo answers IDEMPOTENCY_KEY_REUSED.',
};
