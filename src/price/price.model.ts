import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';

export enum PriceBilling {
  ONE_TIME = 'ONE_TIME',
  MONTHLY = 'MONTHLY',
}
registerEnumType(PriceBilling, { name: 'PriceBilling' });

@ObjectType({ description: 'The unit price of an item (a device: web server, database...).' })
export class Price {
  @Field() name: string;
  @Field(() => SafeInt, { description: 'Cents per unit.' }) price: number;
  @Field(() => PriceBilling) billing: PriceBilling;
  @Field() info: string;
  @Field() updatedAt: Date;
}
