import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { LedgerEnv } from '../config/env';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { requestOf } from '../common/graphql/request';
import { ApiKeyRole } from './principal';

/**
 * Per-key rate limit (SPEC §3): RATE_LIMIT_PER_MINUTE operations in any
 * sliding 60 s window for each OPERATOR and APP key (0 turns it off); ADMIN
 * keys and open routes are not limited. Each guarded resolver call counts,
 * so a document with three top-level fields counts three.
 *
 * The counters live in this process's memory (@nestjs/throttler's default
 * storage): with N instances behind a balancer a key gets up to N × the limit.
 * That is a deliberate exception to "state lives in PostgreSQL": a limiter is
 * a load shield, not a guarantee about money, and a database round trip per
 * request would cost more than it protects.
 *
 * Registered after the AuthGuard (src/auth/auth.module.ts), so the principal
 * is known: the tracker is its keyId.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    const principal = requestOf(ctx).principal;
    return !principal || principal.role === ApiKeyRole.ADMIN;
  }

  protected override getRequestResponse(ctx: ExecutionContext) {
    // Only GraphQL operations get here (open routes are skipped): the reply is in the GraphQL context.
    const req = requestOf(ctx);
    const res = GqlExecutionContext.create(ctx).getContext<{ res: unknown }>().res;
    return { req, res: res as Record<string, unknown> };
  }

  protected override async getTracker(req: object): Promise<string> {
    return `key:${(req as ReturnType<typeof requestOf>).principal!.keyId}`;
  }

  /** One budget per key across all operations (the default key is per handler). */
  protected override generateKey(_ctx: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _ctx: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    throw new LedgerError(
      ErrorCode.SERVER_BUSY,
      `rate limit of ${detail.limit} operations per minute for this key exceeded; retry in ${retryAfterSeconds} s`,
      { retryAfterSeconds, limit: detail.limit },
    );
  }
}

/** The throttler's options: one sliding one-minute window; a limit of 0 means no limit. */
export function rateLimitOptions(env: Pick<LedgerEnv, 'RATE_LIMIT_PER_MINUTE'>): ThrottlerModuleOptions {
  const limit = env.RATE_LIMIT_PER_MINUTE;
  return {
    throttlers: [{ name: 'default', ttl: 60_000, limit: limit || Number.MAX_SAFE_INTEGER, blockDuration: 0 }],
    skipIf: () => limit === 0,
    setHeaders: true,
  };
}
