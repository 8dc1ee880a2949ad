import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import { argsOf } from '../graphql/request';
import { IdempotencyService } from './idempotency.service';
import { IDEMPOTENT_KEY } from './idempotent.decorator';

/**
 * Runs an `@Idempotent()` mutation through the IdempotencyService: the handler
 * (with its validation pipes) runs inside the transaction that claimed `orderNo`.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const operation = this.reflector.get<string>(IDEMPOTENT_KEY, ctx.getHandler());
    const input = (argsOf(ctx).input ?? {}) as Record<string, unknown>;
    return from(
      this.idempotency.run({ appId: input.appId, orderNo: input.orderNo, operation, input }, () =>
        lastValueFrom(next.handle()),
      ),
    );
  }
}
