import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { BilledOrderInput, OrderInput, ORDER_NO_RULE } from '../../common/dto/order.input';
import { SafeInt } from '../../common/graphql/scalars';
import { MAX_CENTS, ORDER_NO_PATTERN } from '../../common/validation';

@InputType({ description: 'A recharge; idempotent on (appId, orderNo).' })
export class RechargeInput extends BilledOrderInput {
  @Field(() => SafeInt, { description: 'Cents, 1 .. 2^53-1.' })
  @IsInt()
  @Min(1)
  @Max(MAX_CENTS)
  amount: number;
}

@InputType({ description: 'One line of a pay by items.' })
export class PayItemInput {
  @Field({ description: "The item's name in the Price table." })
  @IsString()
  @Length(1, 128)
  name: string;

  @Field(() => Int, { description: '1 .. 10000' })
  @IsInt()
  @Min(1)
  @Max(10000)
  quantity: number;
}

@InputType({ description: 'Either items (priced from the Price table) or an explicit amount, never both.' })
export class PayInput extends BilledOrderInput {
  @Field(() => [PayItemInput], {
    nullable: true,
    description: 'Items to buy (1 .. 100 lines), priced from the Price table.',
  })
  // Required when there is no amount: "neither" is refused here, at the edge ("both" by the service).
  @ValidateIf((o: PayInput) => o.amount === undefined || o.amount === null || o.items != null)
  @IsDefined({ message: 'give either items or amount (neither was given)' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PayItemInput)
  items?: PayItemInput[];

  @Field(() => SafeInt, { nullable: true, description: 'Cents, 1 .. 2^53-1.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CENTS)
  amount?: number;

  @Field(() => ID, {
    nullable: true,
    description: "One of the app's ISSUED coupons: the amount drops by its discount (not below 0).",
  })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,14}$/, { message: 'must be a coupon id' })
  couponId?: string;
}

@InputType({ description: 'A rollback of a pay; idempotent on (appId, orderNo).' })
export class RollbackInput extends OrderInput {
  @Field({ description: 'The orderNo of the pay to reverse.' })
  @Matches(ORDER_NO_PATTERN, { message: ORDER_NO_RULE })
  payOrderNo: string;

  @Field(() => String, { nullable: true, description: "Why, up to 1000 characters (the ROLLBACK bill's info)." })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
