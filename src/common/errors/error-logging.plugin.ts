import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { ERROR_SPEC, ErrorCode } from './error-codes';
import { LedgerError } from './ledger.error';
import { MASKED } from './format-error';

interface Ctx {
  req?: { id?: string | number };
}

/**
 * Logs unexpected errors with the request id, and finishes masked errors:
 * the request id goes to the client (to quote to support), and a failed read
 * reports DB_READ_ERROR rather than DB_WRITE_ERROR.
 */
export function errorLoggingPlugin(): ApolloServerPlugin<Ctx> {
  const logger = new Logger('GraphQL');
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors(rc: GraphQLRequestContext<Ctx>) {
          for (const err of rc.errors ?? []) {
            const original = unwrapResolverError(err);
            if (original instanceof LedgerError) {
              // Expected refusals (bad input, business errors, replays of them): info, no stack (SPEC §8).
              const fields = { requestId: rc.contextValue.req?.id, path: err.path, code: original.code };
              logger.log({ ...fields, replayed: original.details.replayed === true }, original.message);
              continue;
            }
            if (!err.path) continue;
            logger.error(
              { requestId: rc.contextValue.req?.id, operation: rc.operationName, path: err.path, err: original },
              'unexpected error',
            );
          }
        },
        async willSendResponse(rc: GraphQLRequestContext<Ctx>) {
          const body = rc.response.body;
          if (!body || body.kind !== 'single' || !body.singleResult.errors) return;
          const isQuery = rc.operation?.operation === 'query';
          body.singleResult.errors = body.singleResult.errors.map((e: GraphQLFormattedError) => {
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
