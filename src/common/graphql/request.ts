import { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal';

export type LedgerRequest = FastifyRequest & { principal?: Principal };

/** The HTTP request behind a GraphQL resolver call or a REST handler. */
export function requestOf(ctx: ExecutionContext): LedgerRequest {
  if (ctx.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(ctx).getContext<{ req: LedgerRequest }>().req;
  }
  return ctx.switchToHttp().getRequest<LedgerRequest>();
}

/** The resolver's arguments (GraphQL) or an empty object (REST). */
export function argsOf(ctx: ExecutionContext): Record<string, unknown> {
  return ctx.getType<string>() === 'graphql' ? GqlExecutionContext.create(ctx).getArgs() : {};
}
