import { Args, Int, Mutation, Resolver } from '@nestjs/graphql';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { LedgerError } from '../common/errors/ledger.error';
import { SafeInt } from '../common/graphql/scalars';
import { AssignService } from './assign.service';

@Resolver()
export class AssignResolver {
  constructor(private readonly assign: AssignService) {}

  @Mutation(() => [SafeInt], { description: '1..1000 fresh serials, from 100000000 up.' })
  @Roles(...ANY_ROLE)
  assignSerials(@Args('count', { type: () => Int, defaultValue: 1 }) count: number): Promise<number[]> {
    if (count < 1 || count > 1000) throw LedgerError.invalid('count', 'must be from 1 to 1000');
    return this.assign.next(count);
  }
}
