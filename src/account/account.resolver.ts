import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { Account } from './account.model';
import { AccountService } from './account.service';
import { AppIdArgs } from '../common/dto/app-id.args';
import { FreezeArgs } from './dto/freeze.args';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => Account)
export class AccountResolver {
  constructor(private readonly accounts: AccountService) {}

  @Query(() => Account, {
    description: opDoc("An app's account: balance, held, available, frozen.", {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  account(@Args() { appId }: AppIdArgs): Promise<Account> {
    return this.accounts.get(appId);
  }

  @Mutation(() => Account, {
    description: opDoc('Opens an account with a zero balance.', {
      who: WHO.admin,
      idempotent: 'yes, by appId: an existing account is returned as it is (no orderNo needed).',
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  openAccount(@Args() { appId }: AppIdArgs): Promise<Account> {
    return this.accounts.open(appId);
  }

  @Mutation(() => Account, {
    description: opDoc(
      'Freezes an account: pays and holds are refused (ACCOUNT_FROZEN); recharges, rollbacks and captures still book. Writes no bill.',
      {
        who: WHO.admin,
        idempotent: 'yes in effect (the account stays frozen with the latest reason); `version` grows on every call.',
        errors: [E.NOT_FOUND],
      },
    ),
  })
  @Roles(ApiKeyRole.ADMIN)
  freezeAccount(@Args() { appId, reason }: FreezeArgs): Promise<Account> {
    return this.accounts.freeze(appId, reason);
  }

  @Mutation(() => Account, {
    description: opDoc('Unfreezes an account. Writes no bill.', {
      who: WHO.admin,
      idempotent: 'yes in effect (the account stays unfrozen); `version` grows on every call.',
      errors: [E.NOT_FOUND],
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  unfreezeAccount(@Args() { appId }: AppIdArgs): Promise<Account> {
    return this.accounts.unfreeze(appId);
  }
}
