import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { MoneyResult } from '../bill/dto/money.result';
import { Hold } from './hold.model';

/** `MoneyResult.hold`: the hold a captureHold captured, as its stored answer has it. */
@Resolver(() => MoneyResult)
export class MoneyResultHoldResolver {
  @ResolveField(() => Hold, {
    nullable: true,
    description: 'captureHold: the hold it captured; null for other mutations.',
  })
  hold(@Parent() result: MoneyResult & { hold?: Hold }): Hold | null {
    return result.hold ?? null;
  }
}
