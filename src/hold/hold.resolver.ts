import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { MoneyResult } from '../bill/dto/money.result';
import type { CommandSpec } from '../common/idempotency/command';
import { CurrentOrigin, RequestOrigin } from '../common/graphql/origin.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { CaptureHoldInput, HoldArgs, HoldInput, HoldsArgs, ReleaseHoldInput } from './dto/hold.inputs';
import { Hold, HoldResult } from './hold.model';
import { HoldService } from './hold.service';

/** The mutations return their commands; @Idempotent runs each as one statement (ledger_op_*hold*.sql). */
@Resolver(() => Hold)
export class HoldResolver {
  constructor(private readonly service: HoldService) {}

  @Query(() => Hold, { name: 'hold' })
  @Roles(...ANY_ROLE)
  findHold(@Args() { appId, id }: HoldArgs): Promise<Hold> {
    return this.service.get(appId, id);
  }

  @Query(() => [Hold], {
    description:
      'Newest first. A hold past its deadline may read OPEN until the expiry job comes by; it cannot be captured.',
  })
  @Roles(...ANY_ROLE)
  holds(@Args() args: HoldsArgs): Promise<Hold[]> {
    return this.service.list(args);
  }

  @Mutation(() => HoldResult, {
    name: 'hold',
    description: 'Reserves amount from available until captured, released or expired. Idempotent on (appId, orderNo).',
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('hold')
  placeHold(@Args('input') input: HoldInput, @CurrentOrigin() o: RequestOrigin): CommandSpec {
    return {
      origin: { user: input.user ?? o.label, srcIp: o.srcIp },
      args: { amount: input.amount, ttlSeconds: input.ttlSeconds, info: input.info ?? null },
    };
  }

  @Mutation(() => MoneyResult, {
    description:
      'Debits amount (default: all) of an OPEN hold and releases the rest; answers the hold too. ' +
      'Idempotent on (appId, orderNo).',
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('captureHold')
  captureHold(@Args('input') input: CaptureHoldInput, @CurrentOrigin() o: RequestOrigin): CommandSpec {
    return { origin: { user: o.label, srcIp: o.srcIp }, args: { holdId: input.holdId, amount: input.amount ?? null } };
  }

  @Mutation(() => HoldResult, { description: 'Ends an OPEN hold without debit. Idempotent on (appId, orderNo).' })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  @Idempotent('releaseHold')
  releaseHold(@Args('input') input: ReleaseHoldInput, @CurrentOrigin() o: RequestOrigin): CommandSpec {
    return { origin: { user: o.label, srcIp: o.srcIp }, args: { holdId: input.holdId } };
  }
}
