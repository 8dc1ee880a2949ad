import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_APP_ID, ORDER_NO_PATTERN } from '../validation';

export const ORDER_NO_RULE = 'must be 1-64 characters of A-Z a-z 0-9 _ . : -';

/** The idempotency key of every money mutation: (appId, orderNo). */
@InputType({ isAbstract: true })
export abstract class OrderInput {
  @Field({ description: "The caller's order number: 1-64 of [A-Za-z0-9_.:-]. Retries reuse it." })
  @Matches(ORDER_NO_PATTERN, { message: ORDER_NO_RULE })
  orderNo: string;

  @Field(() => Int, { description: "The app's id, 1 .. 2^31-1." })
  @IsInt()
  @Min(1)
  @Max(MAX_APP_ID)
  appId: number;
}

/** What an operation's bill records besides money. */
@InputType({ isAbstract: true })
export abstract class BilledOrderInput extends OrderInput {
  @Field(() => String, { nullable: true, description: 'A note kept on the bill, up to 1000 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  info?: string;

  @Field(() => String, { nullable: true, description: "Defaults to the API key's label." })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  user?: string;
}
