import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SafeInt } from '../../common/graphql/scalars';
import { MAX_APP_ID, MAX_CENTS } from '../../common/validation';
import { OrderInput } from '../../common/dto/order.input';
import { CouponStatus } from '../coupon.model';

const CODE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_INT32 = 2147483647;

@InputType({ description: "A coupon template's terms." })
export class CouponTemplateInput {
  @Field({ description: 'The template key: 1-64 of [A-Za-z0-9_.:-]. Templates are immutable once created.' })
  @Matches(CODE_PATTERN, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . : -' })
  code: string;

  @Field({ description: 'A name for people, 1-128 characters.' })
  @IsString()
  @Length(1, 128)
  name: string;

  @Field(() => SafeInt, { description: 'Cents off a pay, 1 .. 2^53-1.' })
  @IsInt()
  @Min(1)
  @Max(MAX_CENTS)
  discount: number;

  @Field(() => SafeInt, { defaultValue: 0, description: 'The smallest pay (before the discount) it applies to.' })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  minSpend: number;

  @Field(() => Int, { nullable: true, description: 'How many may ever be issued; null or absent: unlimited.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT32)
  stock?: number | null;

  @Field(() => Int, { defaultValue: 1, description: 'How many one app may ever receive, at least 1.' })
  @IsInt()
  @Min(1)
  @Max(MAX_INT32)
  perAppLimit: number;

  @Field(() => Int, { description: 'Days a coupon stays valid after it is issued, 1 .. 36500.' })
  @IsInt()
  @Min(1)
  @Max(36500)
  validDays: number;
}

/** Idempotent on (appId, orderNo): the operations system's serial for "grant this app a coupon". */
@InputType({ description: 'A coupon to grant; idempotent on (appId, orderNo).' })
export class IssueCouponInput extends OrderInput {
  @Field({ description: 'The template to issue from.' })
  @Matches(CODE_PATTERN, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . : -' })
  templateCode: string;
}

@ArgsType()
export class CouponsArgs {
  @Field(() => Int, { description: "The app's id, 1 .. 2^31-1." })
  @IsInt()
  @Min(1)
  @Max(MAX_APP_ID)
  appId: number;

  @Field(() => CouponStatus, { nullable: true, description: 'Only coupons in this status.' })
  @IsOptional()
  @IsEnum(CouponStatus)
  status?: CouponStatus | null;
}
