import { Args, Int, Mutation, Resolver } from '@nestjs/graphql';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { LedgerError } from '../common/errors/ledger.error';
import { SafeInt } from '../common/graphql/scalars';
import { AssignService } from './assign.service';
import { opDoc, WHO } from '../common/graphql/op-doc';

@Resolver()
export class AssignResolver {
  constructor(private readonly assign: AssignService) {}

  @Mutation(() => [SafeInt], {
    description: opDoc(
      '`count` (1..1000) fresh, globally unique serials, from 100000000 up: order numbers that never collide.',
      {
        who: WHO.any,
        idempotent: 'no: every call takes new serials (a retry wastes some, harmlessly).',
      },
    ),
  })
  @Roles(...ANY_ROLE)
  assignSerials(
    @Args('count', { type: () => Int, defaultValue: 1, description: 'How many, 1 .. 1000.' }) count: number,
  ): Promise<number[]> {
    if (count < 1 || count > 1000) throw LedgerError.invalid('count', 'must be from 1 to 1000');
    return this.assign.next(count);
  }
}
