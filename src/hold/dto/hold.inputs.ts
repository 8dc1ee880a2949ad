import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AppIdArgs } from '../../common/dto/app-id.args';
import { SafeInt } from '../../common/graphql/scalars';
import { MAX_CENTS } from '../../common/validation';
import { BilledOrderInput, OrderInput } from '../../common/dto/order.input';
import { HoldStatus } from '../hold.model';

/** 1 s .. 7 days (SPEC §5). */
export const MAX_HOLD_SECONDS = 604_800;
const HOLD_ID = /^[1-9][0-9]{0,15}$/;
const HOLD_ID_RULE = 'must be the id of a hold (a positive integer)';

@InputType({ description: 'A hold to place; idempotent on (appId, orderNo).' })
export class HoldInput extends BilledOrderInput {
  @Field(() => SafeInt, { description: 'Cents to reserve, 1 .. 2^53-1.' })
  @IsInt()
  @Min(1)
  @Max(MAX_CENTS)
  amount: number;

  @Field(() => Int, { description: `Seconds until it expires by itself, 1 .. ${MAX_HOLD_SECONDS}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_HOLD_SECONDS)
  ttlSeconds: number;
}

@InputType({ description: 'A capture of an OPEN hold; idempotent on (appId, orderNo).' })
export class CaptureHoldInput extends OrderInput {
  @Field(() => ID, { description: 'The hold to capture.' })
  @Matches(HOLD_ID, { message: HOLD_ID_RULE })
  holdId: string;

  @Field(() => SafeInt, {
    nullable: true,
    description: 'Cents to debit, 1 .. the hold (default: all of it); the rest is released.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CENTS)
  amount?: number;
}

@InputType({ description: 'A release of an OPEN hold; idempotent on (appId, orderNo).' })
export class ReleaseHoldInput extends OrderInput {
  @Field(() => ID, { description: 'The hold to release.' })
  @Matches(HOLD_ID, { message: HOLD_ID_RULE })
  holdId: string;
}

@ArgsType()
export class HoldArgs extends AppIdArgs {
  @Field(() => ID, { description: "The hold's id." })
  @Matches(HOLD_ID, { message: HOLD_ID_RULE })
  id: string;
}

@ArgsType()
export class HoldsArgs extends AppIdArgs {
  @Field(() => HoldStatus, { nullable: true, description: 'Only holds in this status.' })
  @IsOptional()
  @IsEnum(HoldStatus)
  status?: HoldStatus;

  @Field(() => Int, { defaultValue: 100, description: 'Newest first, 1 .. 1000.' })
  @IsInt()
  @Min(1)
  @Max(1000)
  first: number;
}
