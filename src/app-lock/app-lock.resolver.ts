import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AppIdArgs } from '../common/dto/app-id.args';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { AppLock } from './app-lock.model';
import { AppLockService } from './app-lock.service';
import { AcquireAppLockArgs, ReleaseAppLockArgs } from './dto/app-lock.args';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => AppLock)
export class AppLockResolver {
  constructor(private readonly locks: AppLockService) {}

  @Query(() => AppLock, {
    description: opDoc("The app's lease: free (locked false) once released or past expiresAt.", {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  appLock(@Args() { appId }: AppIdArgs): Promise<AppLock> {
    return this.locks.get(appId);
  }

  @Mutation(() => AppLock, {
    description: opDoc(
      'Takes the lease with a fresh, larger fencing token; ACCOUNT_LOCKED while another unexpired lease holds it. ' +
        'Money mutations on the app wait for it (APPLOCK_WAIT_MS), then answer ACCOUNT_LOCKED.',
      { who: WHO.admin, idempotent: 'no: each success is a new lease with a new token.', errors: [E.ACCOUNT_LOCKED] },
    ),
  })
  @Roles(ApiKeyRole.ADMIN)
  acquireAppLock(@Args() { appId, owner, ttlSeconds }: AcquireAppLockArgs): Promise<AppLock> {
    return this.locks.acquire(appId, owner, ttlSeconds);
  }

  @Mutation(() => AppLock, {
    description: opDoc('Frees the lease taken under `token`; a stale token answers ACCOUNT_LOCKED.', {
      who: WHO.admin,
      idempotent: 'no: a second release of the same token answers ACCOUNT_LOCKED.',
      errors: [E.ACCOUNT_LOCKED],
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  releaseAppLock(@Args() { appId, token }: ReleaseAppLockArgs): Promise<AppLock> {
    return this.locks.release(appId, token);
  }
}
