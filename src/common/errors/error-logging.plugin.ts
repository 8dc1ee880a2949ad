import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentPaths } from '../graphql/argument-path';
import { ERROR_SPEC, ErrorCode } from './error-codes';
import { LedgerError } from './ledger.error';
import { fieldOfGraphQLError, formatError, fromGraphql, MASKED } from './format-error';

interface Ctx {
  req?: { id?: string | number };
}

/**
 * How an error is logged (SPEC §8: expected refusals are not errors).
 * - fault: a masked error (database, bug: negative retCode, text hidden from the
 *   client) → `error`, with its stack and the request id the client was given;
 * - a refusal we chose to make with a negative retCode (rate limit, draining) → `warn`;
 * - every other outcome (bad key, bad input, business refusal) → `info`, one line, no stack.
 */
function logError(logger: Logger, rc: GraphQLRequestContext<Ctx>, err: GraphQLError): void {
  const original = unwrapResolverError(err);
  const requestId = rc.contextValue.req?.id;
  // `reqId` as on every line logged inside a request; `requestId` as the client sees it on a masked error.
  const where = { reqId: requestId, requestId, operation: rc.operationName ?? undefined, path: err.path };
  const answer = formatError(err.toJSON(), err);
  const code = answer.extensions?.code as ErrorCode;
  if (answer.extensions?.[MASKED]) {
    logger.error({ ...where, code, err: original }, 'unexpected error');
    return;
  }
  const field =
    fromGraphql.has(answer) && rc.document
      ? fieldOfGraphQLError(answer.message, answer.locations, new ArgumentPaths(rc.document))
      : answer.extensions?.field;
  const line = { ...where, code, field, message: answer.message };
  if ((ERROR_SPEC[code]?.retCode ?? 0) < 0 && original instanceof LedgerError) logger.warn(line, 'refused');
  else logger.log(line, 'refused');
}

/**
 * Logs every error by its kind (above), and finishes answers with what only
 * the request knows: the request id on masked errors (to quote to support), a
 * failed read reported as DB_READ_ERROR rather than DB_WRITE_ERROR, and the
 * argument path of GraphQL's own refusals read from the document.
 */
export function errorLoggingPlugin(): ApolloServerPlugin<Ctx> {
  const logger = new Logger('GraphQL');
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors(rc: GraphQLRequestContext<Ctx>) {
          for (const err of rc.errors ?? []) logError(logger, rc, err);
        },
        async willSendResponse(rc: GraphQLRequestContext<Ctx>) {
          const body = rc.response.body;
          if (!body || body.kind !== 'single' || !body.singleResult.errors) return;
          const isQuery = rc.operation?.operation === 'query';
          let paths: ArgumentPaths | undefined;
          body.singleResult.errors = body.singleResult.errors.map((e: GraphQLFormattedError) => {
            if (fromGraphql.has(e) && rc.document) {
              paths ??= new ArgumentPaths(rc.document);
              return {
                ...e,
                extensions: { ...e.extensions, field: fieldOfGraphQLError(e.message, e.locations, paths) },
              };
            }
            if (!e.extensions?.[MASKED]) return e;
            const { [MASKED]: _masked, ...ext } = e.extensions;
            let code = ext.code as ErrorCode;
            if (isQuery && code === ErrorCode.DB_WRITE_ERROR) code = ErrorCode.DB_READ_ERROR;
            return {
              ...e,
              extensions: { ...ext, code, retCode: ERROR_SPEC[code].retCode, requestId: rc.contextValue.req?.id },
            };
          });
        },
      };
    },
  };
}
