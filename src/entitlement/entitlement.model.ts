import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';
import { PriceBilling } from '../price/price.model';

@ObjectType({
  description: 'What a pay delivered. MONTHLY items stay subscribed (charged at settlement) until rolled back.',
})
export class Entitlement {
  @Field(() => Int) appId: number;
  @Field() name: string;
  @Field(() => Int) quantity: number;
  @Field(() => PriceBilling) billing: PriceBilling;
  @Field(() => SafeInt) billId: number;
  @Field() active: boolean;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;
}
