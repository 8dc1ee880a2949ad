import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * Hands every exception of a GraphQL resolver (guards and pipes included)
 * back to Apollo untouched. Without a filter, Nest's default handler logs each
 * one at ERROR with its stack before rethrowing, bad keys and insufficient
 * balances included; Apollo's answer (format-error.ts) and our log line
 * (error-logging.plugin.ts, by kind) are the only ones wanted. HTTP routes keep
 * Nest's default handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    // graphql-js treats an Error returned by a resolver as thrown.
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
