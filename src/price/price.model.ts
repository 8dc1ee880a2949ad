import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';

export enum PriceBilling {
  ONE_TIME = 'ONE_TIME',
  MONTHLY = 'MONTHLY',
}
registerEnumType(PriceBilling, {
  name: 'PriceBilling',
  description: 'How an item is charged.',
  valuesMap: {
    ONE_TIME: { description: 'Once, by the pay that buys it.' },
    MONTHLY: { description: 'By the pay, then at each monthly settlement while the entitlement is active.' },
  },
});

@ObjectType({ description: 'The unit price of an item (a device: web server, database...).' })
export class Price {
  @Field({ description: "The item's name (unique)." }) name: string;
  @Field(() => SafeInt, { description: 'Cents per unit.' }) price: number;
  @Field(() => PriceBilling, { description: 'ONE_TIME, or MONTHLY: also charged at each settlement.' })
  billing: PriceBilling;
  @Field({ description: 'A description for people.' }) info: string;
  @Field({ description: 'When it was last set.' }) updatedAt: Date;
}
