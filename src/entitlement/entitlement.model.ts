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
  @Field(() => Int) appId: number;
  @Field() name: string;
  @Field(() => Int) quantity: number;
  @Field(() => PriceBilling) billing: PriceBilling;
  @Field(() => SafeInt) billId: number;
  @Field() active: boolean;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;

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
