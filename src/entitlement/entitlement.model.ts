import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';
import { PriceBilling } from '../price/price.model';

export interface EntitlementRow {
  app_id: number;
  name: string;
  quantity: number;
  billing: PriceBilling;
  bill_id: number;
  active: boolean;
  created_at: Date;
  ended_at: Date | null;
}

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

  static fromRow(r: EntitlementRow): Entitlement {
    return Object.assign(new Entitlement(), {
      appId: r.app_id,
      name: r.name,
      quantity: r.quantity,
      billing: r.billing,
      billId: r.bill_id,
      active: r.active,
      createdAt: r.created_at,
      endedAt: r.ended_at,
    });
  }
}
