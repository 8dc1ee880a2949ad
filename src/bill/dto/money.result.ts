import { Field, ObjectType } from '@nestjs/graphql';
import { Account } from '../../account/account.model';
import { Bill } from '../bill.model';

/**
 * What recharge, pay, rollback and captureHold answer: the bill and the
 * account after it. Its `hold` and `coupon` fields are declared by the hold
 * and coupon modules (field resolvers), so this folder imports neither.
 */
@ObjectType({
  description:
    'What recharge, pay, rollback and captureHold answer: the bill and the account after it. A replay answers the same snapshot.',
})
export class MoneyResult {
  @Field(() => Bill, { description: 'The bill this operation wrote (a replay: the same bill).' }) bill: Bill;
  @Field(() => Account, {
    description:
      'The account right after this operation; a replay answers this snapshot again, not the account of now (see Account.version).',
  })
  account: Account;
  @Field({ description: 'True when this is the stored answer of an earlier request with the same orderNo.' })
  replayed: boolean;
}
