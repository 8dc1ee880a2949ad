import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { MoneyResult } from '../bill/dto/money.result';
import type { CommandSpec } from '../common/idempotency/command';
import { commandOrigin, CurrentOrigin, RequestOrigin } from '../common/graphql/origin.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { CaptureHoldInput, HoldArgs, HoldInput, HoldsArgs, ReleaseHoldInput } from './dto/hold.inputs';
import { captureHoldSpec, holdSpec, releaseHoldSpec } from './hold.commands';
import { Hold, HoldResult } from './hold.model';
import { HoldService } from './hold.service';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

/** The mutations return their commands; @Idempotent runs each as one statement (ledger_op_*hold*.sql). */
@Resolver(() => Hold)
export class HoldResolver {
  constructor(private readonly service: HoldService) {}

  @Query(() => Hold, {
    name: 'hold',
    description: opDoc('One hold of the app.', {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  findHold(@Args() { appId, id }: HoldArgs): Promise<Hold> {
    return this.service.get(appId, id);
  }

  @Query(() => [Hold], {
    description: opDoc(
      "The app's holds, newest first. A hold past its deadline may read OPEN until the expiry job comes by; it cannot be captured.",
      { who: WHO.any, idempotent: IDEMPOTENT.read, errors: [E.NOT_FOUND], query: true },
    ),
  })
  @Roles(...ANY_ROLE)
  holds(@Args() args: HoldsArgs): Promise<Hold[]> {
    return this.service.list(args);
  }

  @Mutation(() => HoldResult, {
    name: 'hold',
    description: opDoc(
      'Reserves amount from available until captured, released or expired. Writes a HOLD bill (amount 0).',
      {
        who: WHO.adminApp,
        idempotent: IDEMPOTENT.order,
        errors: [
          E.NOT_FOUND,
          E.INSUFFICIENT_BALANCE,
          E.ACCOUNT_FROZEN,
          E.ACCOUNT_LOCKED,
          E.IDEMPOTENCY_KEY_REUSED,
          E.REQUEST_IN_PROGRESS,
        ],
      },
    ),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('hold')
  placeHold(
    @Args('input', { description: 'The order: orderNo, appId, amount, ttlSeconds.' }) input: HoldInput,
    @CurrentOrigin() o: RequestOrigin,
  ): CommandSpec {
    return holdSpec(input, commandOrigin(o, input.user));
  }

  @Mutation(() => MoneyResult, {
    description: opDoc(
      'Debits amount (default: all) of an OPEN hold and releases the rest (a CAPTURE bill); answers the hold too.',
      {
        who: WHO.adminApp,
        idempotent: IDEMPOTENT.order,
        errors: [E.NOT_FOUND, E.HOLD_NOT_OPEN, E.ACCOUNT_LOCKED, E.IDEMPOTENCY_KEY_REUSED, E.REQUEST_IN_PROGRESS],
      },
    ),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('captureHold')
  captureHold(
    @Args('input', { description: 'The order: orderNo, appId, holdId, amount.' }) input: CaptureHoldInput,
    @CurrentOrigin() o: RequestOrigin,
  ): CommandSpec {
    return captureHoldSpec(input, commandOrigin(o));
  }

  @Mutation(() => HoldResult, {
    description: opDoc('Ends an OPEN hold without debit (a RELEASE bill, amount 0).', {
      who: WHO.adminApp,
      idempotent: IDEMPOTENT.order,
      errors: [E.NOT_FOUND, E.HOLD_NOT_OPEN, E.ACCOUNT_LOCKED, E.IDEMPOTENCY_KEY_REUSED, E.REQUEST_IN_PROGRESS],
    }),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('releaseHold')
  releaseHold(
    @Args('input', { description: 'The order: orderNo, appId, holdId.' }) input: ReleaseHoldInput,
    @CurrentOrigin() o: RequestOrigin,
  ): CommandSpec {
    return releaseHoldSpec(input, commandOrigin(o));
  }
}
