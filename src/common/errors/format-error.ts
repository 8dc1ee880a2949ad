import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ERROR_SPEC, ErrorCode } from './error-codes';
import { LedgerError } from './ledger.error';
import { isConnectionError, systemErrorCode } from './db-errors';

/** Marks an error that the client must not see the text of (logged with the request id). */
export const MASKED = 'masked';

/** The extensions.code graphql.config.ts reports a document over a limit with (with `limit`). */
export const GRAPHQL_LIMIT_CODE = 'GRAPHQL_LIMIT';

const BAD_INPUT_CODES = new Set<string>([
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
]);

/** Pull the field name out of graphql-js's coercion messages, e.g. `at "input.amount"`. */
function fieldOf(message: string): string | undefined {
  return (
    /at "([^"]+)"/.exec(message)?.[1] ?? /Field "([^"]+)"/.exec(message)?.[1] ?? /argument "([^"]+)"/.exec(message)?.[1]
  );
}

/**
 * The one place every GraphQL error becomes its API shape: `extensions.code`
 * and `extensions.retCode` from SPEC §7. Unknown errors are masked here (the
 * logging plugin records them with the request id).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof LedgerError) {
    return {
      ...base,
      message: original.message,
      extensions: { code: original.code, retCode: original.retCode, ...original.details },
    };
  }
  const apolloCode = formatted.extensions?.code as string | undefined;
  if (
    formatted.extensions?.limit &&
    (apolloCode === GRAPHQL_LIMIT_CODE || apolloCode === ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED)
  ) {
    // A document over a depth / alias / cost limit (graphql.config.ts): bad input, with the limit named.
    return {
      ...base,
      extensions: {
        code: ErrorCode.INVALID_ARGUMENT,
        retCode: ERROR_SPEC.INVALID_ARGUMENT.retCode,
        reason: `LIMIT_${formatted.extensions?.limit as string}`,
      },
    };
  }
  if (apolloCode && BAD_INPUT_CODES.has(apolloCode)) {
    const field = fieldOf(formatted.message);
    return {
      ...base,
      extensions: {
        code: ErrorCode.INVALID_ARGUMENT,
        retCode: ERROR_SPEC.INVALID_ARGUMENT.retCode,
        ...(field ? { field } : {}),
        ...(apolloCode !== ApolloServerErrorCode.BAD_USER_INPUT ? { reason: apolloCode } : {}),
      },
    };
  }
  if (original instanceof GraphQLError && apolloCode && apolloCode !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR) {
    // Other errors raised by the GraphQL layer itself (limits, introspection off...): keep their code.
    return { ...base, extensions: { code: apolloCode, retCode: ERROR_SPEC.INVALID_ARGUMENT.retCode } };
  }
  // Anything else is internal: masked here, logged with the request id and given
  // its final code (read or write error) by the logging plugin.
  const code = systemErrorCode(original, 'mutation');
  const what =
    code === ErrorCode.SERVER_BUSY
      ? 'server busy'
      : isConnectionError(original)
        ? 'database unavailable'
        : 'internal error';
  return {
    ...base,
    message: `${what}; retry (a retry with the same orderNo is safe)`,
    extensions: { code, retCode: ERROR_SPEC[code].retCode, [MASKED]: true },
  };
}
