import { Args, Query, Resolver } from '@nestjs/graphql';
import { AppIdArgs } from '../common/dto/app-id.args';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { Entitlement } from './entitlement.model';

import { EntitlementService } from './entitlement.service';

@Resolver(() => Entitlement)
export class EntitlementResolver {
  constructor(private readonly service: EntitlementService) {}

  @Query(() => [Entitlement])
  @Roles(...ANY_ROLE)
  entitlements(
    @Args() { appId }: AppIdArgs,
    @Args('active', { type: () => Boolean, nullable: true }) active?: boolean,
  ): Promise<Entitlement[]> {
    return this.service.list(appId, active);
  }
}
