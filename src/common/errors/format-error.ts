import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError, SourceLocation } from 'graphql';
import type { ArgumentPaths } from '../graphql/argument-path';
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

/**
 * The INVALID_ARGUMENT answers raised by GraphQL itself (validation, variable
 * coercion): error-logging.plugin.ts names their field again with the document
 * at hand (`fieldOfGraphQLError` with the document's ArgumentPaths). A set, not
 * an extension, so that nothing leaks to the client where the plugin does not run
 * (Apollo's HTTP-level refusals).
 */
export const fromGraphql = new WeakSet<GraphQLFormattedError>();

/**
 * The field a GraphQL-layer refusal is about, as the argument path the client
 * wrote (`input.amount`, `input.items[0].quantity`, `first`). graphql-js names
 * a variable (`$i` … at "i.amount"), an argument, an input type's field, or
 * only a document location; `paths` (when the document parsed) maps those to
 * arguments. What no argument explains (an unknown field, a syntax error, a
 * limit) is about the document itself: `query`. An unused variable is
 * `variables.<name>`.
 */
export function fieldOfGraphQLError(
  message: string,
  locations: readonly SourceLocation[] | undefined,
  paths?: ArgumentPaths,
): string {
  const variable = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(message)?.[1];
  if (variable) {
    const base = paths?.ofVariable(variable);
    const at = / at "([^"]+)"/.exec(message)?.[1];
    if (!base) return `variables.${at ?? variable}`;
    return at?.startsWith(variable) ? base + at.slice(variable.length) : base;
  }
  const argument =
    /^(?:Argument|Unknown argument) "([^"]+)"/.exec(message)?.[1] ?? / argument "([^"]+)" of type /.exec(message)?.[1];
  if (argument) return argument;
  // Apollo's refusals of the request itself name its member: "`variables` in a POST body should be …".
  const member = /`(query|variables|operationName|extensions)`/.exec(message)?.[1];
  if (member) return member;
  const here = paths?.at(locations);
  const inputField = /^Field "[^".]+\.([^"]+)" of required type .* was not provided/.exec(message)?.[1];
  if (inputField) return here ? `${here}.${inputField}` : inputField;
  return here ?? 'query';
}

/**
 * graphql-js coerces a field's arguments while executing it, and throws there
 * (no Apollo code) when an explicit null meets a non-null argument with a
 * default (`bills(first: $f)` with `{"f": null}`) or a variable-built value
 * does not fit: bad input, not a fault.
 */
function isArgumentCoercionError(err: unknown): boolean {
  return (
    err instanceof GraphQLError && !err.originalError && /^Argument "[^"]+" (of |has invalid value)/.test(err.message)
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
        field: 'query',
        reason: `LIMIT_${formatted.extensions?.limit as string}`,
      },
    };
  }
  if ((apolloCode && BAD_INPUT_CODES.has(apolloCode)) || isArgumentCoercionError(original)) {
    const answer: GraphQLFormattedError = {
      ...base,
      extensions: {
        code: ErrorCode.INVALID_ARGUMENT,
        retCode: ERROR_SPEC.INVALID_ARGUMENT.retCode,
        field: fieldOfGraphQLError(formatted.message, formatted.locations),
        ...(apolloCode && BAD_INPUT_CODES.has(apolloCode) && apolloCode !== ApolloServerErrorCode.BAD_USER_INPUT
          ? { reason: apolloCode }
          : {}),
      },
    };
    fromGraphql.add(answer);
    return answer;
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
