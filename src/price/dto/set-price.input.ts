import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { SafeInt } from '../../common/graphql/scalars';
import { MAX_CENTS } from '../../common/validation';
import { PriceBilling } from '../price.model';

@InputType()
export class SetPriceInput {
  @Field()
  @IsString()
  @Length(1, 128)
  name: string;

  @Field(() => SafeInt, { description: 'Cents per unit (0 for a free item).' })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  price: number;

  @Field(() => PriceBilling, { defaultValue: PriceBilling.ONE_TIME })
  @IsEnum(PriceBilling)
  billing: PriceBilling;

  @Field({ defaultValue: '' })
  @IsString()
  @Length(0, 1000)
  info: string;
}
