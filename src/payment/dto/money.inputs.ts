import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { BilledOrderInput, OrderInput, ORDER_NO_RULE } from '../../common/dto/order.input';
import { SafeInt } from '../../common/graphql/scalars';
import { LedgerError } from '../../common/errors/ledger.error';
import { MAX_CENTS, ORDER_NO_PATTERN } from '../../common/validation';

@InputType({ description: 'A recharge; idempotent on (appId, orderNo).' })
export class RechargeInput extends BilledOrderInput {
  @Field(() => SafeInt, { description: 'Cents, 1 .. 2^53-1.' })
  @IsInt()
  @Min(1)
  @Max(MAX_CENTS)
  amount: number;
}

/** A pay by items' line rules (GraphQL has already checked the types: a String name, an Int quantity). */
export const ITEM_NAME_MAX = 128;
export const ITEM_QUANTITY_MAX = 10_000;

@InputType({ description: 'One line of a pay by items.' })
export class PayItemInput {
  @Field({ description: `The item's name in the Price table (1 .. ${ITEM_NAME_MAX} characters).` })
  name: string;

  @Field(() => Int, { description: `1 .. ${ITEM_QUANTITY_MAX}` })
  quantity: number;
}

/**
 * Throws INVALID_ARGUMENT naming the first line that breaks its rules (`input.items[2].quantity`). One plain loop,
 * called by paySpec, instead of class-validator's nested validation (`@ValidateNested` + `@Type`), which cost a
 * pay by items about 40 µs more of the service's CPU than a pay of an amount (docs/benchmark.md).
 */
export function checkPayItems(items: readonly PayItemInput[]): void {
  items.forEach(({ name, quantity }, i) => {
    if (name.length < 1 || name.length > ITEM_NAME_MAX) {
      throw LedgerError.invalid(`input.items[${i}].name`, `must be 1 to ${ITEM_NAME_MAX} characters`);
    }
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > ITEM_QUANTITY_MAX) {
      throw LedgerError.invalid(`input.items[${i}].quantity`, `must be an integer from 1 to ${ITEM_QUANTITY_MAX}`);
    }
  });
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
  // Each line's rules: checkPayItems (called by paySpec).
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
