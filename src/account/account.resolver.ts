import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { Account } from './account.model';
import { AccountService } from './account.service';
import { AppIdArgs } from '../common/dto/app-id.args';
import { FreezeArgs } from './dto/freeze.args';

@Resolver(() => Account)
export class AccountResolver {
  constructor(private readonly accounts: AccountService) {}

  @Query(() => Account)
  @Roles(...ANY_ROLE)
  account(@Args() { appId }: AppIdArgs): Promise<Account> {
    return this.accounts.get(appId);
  }

  @Mutation(() => Account, { description: 'Opens an account; an existing account is returned as it is.' })
  @Roles(ApiKeyRole.ADMIN)
  openAccount(@Args() { appId }: AppIdArgs): Promise<Account> {
    return this.accounts.open(appId);
  }

  @Mutation(() => Account)
  @Roles(ApiKeyRole.ADMIN)
  freezeAccount(@Args() { appId, reason }: FreezeArgs): Promise<Account> {
    return this.accounts.freeze(appId, reason);
  }

  @Mutation(() => Account)
  @Roles(ApiKeyRole.ADMIN)
  unfreezeAccount(@Args() { appId }: AppIdArgs): Promise<Account> {
    return this.accounts.unfreeze(appId);
  }
}
