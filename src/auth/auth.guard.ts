import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { argsOf, requestOf } from '../common/graphql/request';
import { ApiKeyService } from './api-key.service';
import { ApiKeyRole, keyOfRole } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/** The app an operation acts on: `appId` or `input.appId`. */
function targetApp(args: Record<string, unknown>): unknown {
  const input = args.input as Record<string, unknown> | undefined;
  return args.appId ?? input?.appId;
}

/**
 * Bearer-key authentication and role checks for every resolver (SPEC §3).
 * APP keys are confined to their own appId.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = requestOf(ctx);
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await this.keys.authenticate(match[1]) : null;
    if (!principal)
      throw new LedgerError(ErrorCode.UNAUTHENTICATED, 'a valid API key is required (Authorization: Bearer <key>)');
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<ApiKeyRole[]>(ROLES_KEY, targets) ?? [ApiKeyRole.ADMIN];
    if (!roles.includes(principal.role)) {
      throw new LedgerError(ErrorCode.FORBIDDEN, `${keyOfRole(principal.role)} may not do this`);
    }
    if (principal.role === ApiKeyRole.APP) {
      const app = targetApp(argsOf(ctx));
      if (app !== undefined && app !== principal.appId) {
        throw new LedgerError(ErrorCode.FORBIDDEN, `this key acts for app ${principal.appId} only`);
      }
    }
    return true;
  }
}
