import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { from, lastValueFrom, Observable } from 'rxjs';
import { argsOf } from '../graphql/request';
import { selects } from '../graphql/selection';
import { command, HandlerResult, Operation, Outcome } from './command';
import { IdempotencyService } from './idempotency.service';
import { IDEMPOTENT_KEY } from './idempotent.metadata';

/**
 * Whether the command's first answer renders its bill's priceInfo: always, but for a GraphQL request that selects
 * neither `bill.priceInfo` nor `bill.pricing` (read from it). It is the one field of a bill whose size grows with the
 * order (a line per item), and PostgreSQL builds the answer's JSON around it. A replay renders the whole bill from
 * its row (ledger_stored_answer), so the same request gets the same bytes either way, and a retry that asks for
 * more gets it.
 */
function answersPriceInfo(ctx: ExecutionContext): boolean {
  if (ctx.getType<string>() !== 'graphql') return true;
  const info = GqlExecutionContext.create(ctx).getInfo<GraphQLResolveInfo>();
  return selects(info, ['bill', 'priceInfo']) || selects(info, ['bill', 'pricing']);
}

/**
 * Runs an `@Idempotent()` mutation: the handler (after its validation pipes)
 * returns its CommandSpec; the command record is built from it, the
 * decorator's operation and the GraphQL `input` (key, fingerprint), and runs
 * as ONE statement through IdempotencyService.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const op = this.reflector.get<Operation>(IDEMPOTENT_KEY, ctx.getHandler());
    const input = (argsOf(ctx).input ?? {}) as Record<string, unknown>;
    return from(
      (async () => {
        const spec = (await lastValueFrom(next.handle())) as HandlerResult;
        if ('reply' in spec) return spec.reply;
        const run = async () =>
          this.idempotency.run<object>(
            command({
              op,
              appId: spec.appId ?? input.appId,
              orderNo: spec.orderNo ?? input.orderNo,
              fingerprinted: spec.fingerprinted ?? input,
              origin: spec.origin,
              args: spec.args,
              answerPriceInfo: answersPriceInfo(ctx),
            }),
          );
        if (!spec.present) return run();
        let outcome: Outcome;
        try {
          outcome = { answer: await run() };
        } catch (error) {
          outcome = { error };
        }
        return spec.present(outcome);
      })(),
    );
  }
}
