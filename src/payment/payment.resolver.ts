import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { MoneyResult } from '../bill/dto/money.result';
import type { CommandSpec } from '../common/idempotency/command';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { commandOrigin, CurrentOrigin, RequestOrigin } from '../common/graphql/origin.decorator';
import { PayInput, RechargeInput, RollbackInput } from './dto/money.inputs';
import { paySpec, rechargeSpec, rollbackSpec } from './payment.commands';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

/** Each mutation returns its command; @Idempotent runs it as one statement and answers a MoneyResult. */
@Resolver(() => MoneyResult)
export class PaymentResolver {
  @Mutation(() => MoneyResult, {
    description: opDoc(
      'Credits an account (platform or gateway only); booked on a frozen account too. A RECHARGE bill.',
      {
        who: WHO.admin,
        idempotent: IDEMPOTENT.order,
        errors: [E.NOT_FOUND, E.ACCOUNT_LOCKED, E.IDEMPOTENCY_KEY_REUSED, E.REQUEST_IN_PROGRESS],
      },
    ),
  })
  @Roles(ApiKeyRole.ADMIN)
  @Idempotent('recharge')
  recharge(
    @Args('input', { description: 'The order: orderNo, appId, amount.' }) input: RechargeInput,
    @CurrentOrigin() o: RequestOrigin,
  ): CommandSpec {
    return rechargeSpec(input, commandOrigin(o, input.user));
  }

  @Mutation(() => MoneyResult, {
    description: opDoc(
      'Debits for items (priced from the Price table, delivered as entitlements) or an amount, optionally with a ' +
        'coupon. A PAY bill; a refusal (balance, frozen) writes a FAILED bill and is stored.',
      {
        who: WHO.adminApp,
        idempotent: IDEMPOTENT.order,
        errors: [
          E.NOT_FOUND,
          E.INSUFFICIENT_BALANCE,
          E.ACCOUNT_FROZEN,
          E.ACCOUNT_LOCKED,
          E.COUPON_UNAVAILABLE,
          E.IDEMPOTENCY_KEY_REUSED,
          E.REQUEST_IN_PROGRESS,
        ],
      },
    ),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('pay')
  pay(
    @Args('input', { description: 'The order: orderNo, appId, and items or amount.' }) input: PayInput,
    @CurrentOrigin() o: RequestOrigin,
  ): CommandSpec {
    return paySpec(input, commandOrigin(o, input.user));
  }

  @Mutation(() => MoneyResult, {
    description: opDoc(
      "Refunds a whole pay, once: a ROLLBACK bill sharing the pay's billId; its coupon comes back and its " +
        'entitlements end. Booked on a frozen account too.',
      {
        who: WHO.adminApp,
        idempotent: IDEMPOTENT.order,
        errors: [E.NOT_FOUND, E.ALREADY_REVERSED, E.ACCOUNT_LOCKED, E.IDEMPOTENCY_KEY_REUSED, E.REQUEST_IN_PROGRESS],
      },
    ),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('rollback')
  rollback(
    @Args('input', { description: 'The order: orderNo, appId, and the payOrderNo to reverse.' }) input: RollbackInput,
    @CurrentOrigin() o: RequestOrigin,
  ): CommandSpec {
    return rollbackSpec(input, commandOrigin(o));
  }
}
