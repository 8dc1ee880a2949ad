import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { SafeInt } from '../../common/graphql/scalars';
import { MAX_CENTS } from '../../common/validation';
import { PriceBilling } from '../price.model';

@InputType({ description: 'An item and its price.' })
export class SetPriceInput {
  @Field({ description: "The item's name, 1-128 characters." })
  @IsString()
  @Length(1, 128)
  name: string;

  @Field(() => SafeInt, { description: 'Cents per unit (0 for a free item).' })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  price: number;

  @Field(() => PriceBilling, {
    defaultValue: PriceBilling.ONE_TIME,
    description: 'ONE_TIME, or MONTHLY: also charged at each settlement.',
  })
  @IsEnum(PriceBilling)
  billing: PriceBilling;

  @Field({ defaultValue: '', description: 'A description for people, up to 1000 characters.' })
  @IsString()
  @Length(0, 1000)
  info: string;
}
