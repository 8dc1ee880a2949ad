import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { MoneyResult } from '../bill/dto/money.result';
import type { CommandSpec } from '../common/idempotency/command';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { CurrentOrigin, RequestOrigin } from '../common/graphql/origin.decorator';
import { PayInput, RechargeInput, RollbackInput } from './dto/money.inputs';
import { paySpec, rechargeSpec, rollbackSpec } from './payment.commands';

function origin(input: { user?: string }, o: RequestOrigin) {
  return { user: input.user ?? o.label, srcIp: o.srcIp };
}

/** Each mutation returns its command; @Idempotent runs it as one statement and answers a MoneyResult. */
@Resolver(() => MoneyResult)
export class PaymentResolver {
  @Mutation(() => MoneyResult, {
    description: 'Credits an account (platform or gateway only). Idempotent on (appId, orderNo).',
  })
  @Roles(ApiKeyRole.ADMIN)
  @Idempotent('recharge')
  recharge(@Args('input') input: RechargeInput, @CurrentOrigin() o: RequestOrigin): CommandSpec {
    return rechargeSpec(input, origin(input, o));
  }

  @Mutation(() => MoneyResult, { description: 'Debits for items or an amount. Idempotent on (appId, orderNo).' })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('pay')
  pay(@Args('input') input: PayInput, @CurrentOrigin() o: RequestOrigin): CommandSpec {
    return paySpec(input, origin(input, o));
  }

  @Mutation(() => MoneyResult, { description: 'Refunds a whole pay, once. Idempotent on (appId, orderNo).' })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('rollback')
  rollback(@Args('input') input: RollbackInput, @CurrentOrigin() o: RequestOrigin): CommandSpec {
    return rollbackSpec(input, { user: o.label, srcIp: o.srcIp });
  }
}
