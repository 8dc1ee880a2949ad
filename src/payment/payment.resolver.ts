import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { Posted } from '../bill/ledger.service';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { CurrentOrigin, RequestOrigin } from '../common/graphql/origin.decorator';
import { MoneyResult } from '../bill/dto/money.result';
import { PayInput, RechargeInput, RollbackInput } from './dto/money.inputs';
import { MoneyAnswer, PaymentService } from './payment.service';

function origin(input: { user?: string }, o: RequestOrigin) {
  return { user: input.user ?? o.label, srcIp: o.srcIp };
}

/**
 * recharge and pay are idempotent inside PaymentService (their one-statement
 * form needs the posting); rollback through the @Idempotent interceptor.
 */
@Resolver(() => MoneyResult)
export class PaymentResolver {
  constructor(private readonly payments: PaymentService) {}

  @Mutation(() => MoneyResult, {
    description: 'Credits an account (platform or gateway only). Idempotent on (appId, orderNo).',
  })
  @Roles(ApiKeyRole.ADMIN)
  recharge(@Args('input') input: RechargeInput, @CurrentOrigin() o: RequestOrigin): Promise<MoneyAnswer> {
    return this.payments.recharge(input, origin(input, o));
  }

  @Mutation(() => MoneyResult, { description: 'Debits for items or an amount. Idempotent on (appId, orderNo).' })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  pay(@Args('input') input: PayInput, @CurrentOrigin() o: RequestOrigin): Promise<MoneyAnswer> {
    return this.payments.pay(input, origin(input, o));
  }

  @Mutation(() => MoneyResult, { description: 'Refunds a whole pay, once. Idempotent on (appId, orderNo).' })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('rollback')
  rollback(@Args('input') input: RollbackInput, @CurrentOrigin() o: RequestOrigin): Promise<Posted> {
    return this.payments.rollback(input, { user: o.label, srcIp: o.srcIp });
  }
}
