import { Args, Query, Resolver } from '@nestjs/graphql';
import { AppIdArgs } from '../common/dto/app-id.args';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { Entitlement } from './entitlement.model';

import { EntitlementService } from './entitlement.service';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => Entitlement)
export class EntitlementResolver {
  constructor(private readonly service: EntitlementService) {}

  @Query(() => [Entitlement], {
    description: opDoc('What the app bought by items (one row per item of a pay), oldest first.', {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  entitlements(
    @Args() { appId }: AppIdArgs,
    @Args('active', {
      type: () => Boolean,
      nullable: true,
      description: 'true: only active ones; false: only ended (rolled back); absent: all.',
    })
    active?: boolean,
  ): Promise<Entitlement[]> {
    return this.service.list(appId, active);
  }
}
