import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';
import { PriceBilling } from '../price/price.model';

@ObjectType({
  description: 'What a pay delivered. MONTHLY items stay subscribed (charged at settlement) until rolled back.',
})
export class Entitlement {
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'The item.' }) name: string;
  @Field(() => Int, { description: 'How many units.' }) quantity: number;
  @Field(() => PriceBilling, { description: 'ONE_TIME, or MONTHLY: charged at each settlement while active.' })
  billing: PriceBilling;
  @Field(() => SafeInt, { description: 'The pay that delivered it.' }) billId: number;
  @Field({ description: 'False once its pay was rolled back.' }) active: boolean;
  @Field({ description: 'When it was delivered.' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it ended (rollback); null while active.' })
  endedAt: Date | null;
}
