import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { requestOf } from '../common/graphql/request';
import { ApiKeyRole, Principal } from './principal';

export const ROLES_KEY = 'ledger:roles';
export const PUBLIC_KEY = 'ledger:public';

/** Which roles may call this operation. Operations without it are ADMIN only. */
export const Roles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES_KEY, roles);

/** Open to anyone (health, the signed gateway callback). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const ANY_ROLE = [ApiKeyRole.ADMIN, ApiKeyRole.OPERATOR, ApiKeyRole.APP];

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => requestOf(ctx).principal as Principal,
);
