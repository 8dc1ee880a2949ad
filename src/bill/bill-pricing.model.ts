import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';
import { PriceBilling } from '../price/price.model';

/**
 * `Bill.priceInfo` (JSON, kept as it is for existing clients) read as a typed
 * shape, `Bill.pricing`. The JSON is written by the operations themselves
 * (pay by items and with a coupon, hold, capture, release, settlement; a
 * rollback copies its pay's); this reads only the keys they write, so a
 * client of `pricing` never parses JSON. Derived at read time, so stored
 * (replayed) answers and old bills have it too.
 */
@ObjectType({ description: 'One priced line of a bill, at the unit price of that moment.' })
export class PricingLine {
  @Field({ description: 'The item.' }) name: string;
  @Field(() => Int, { description: 'How many units.' }) quantity: number;
  @Field(() => SafeInt, { description: 'Cents per unit when the bill was written.' }) unitPrice: number;
  @Field(() => SafeInt, { nullable: true, description: 'quantity × unitPrice (pay lines).' }) subtotal: number | null;
  @Field(() => PriceBilling, { nullable: true, description: 'How the item is charged (pay lines).' })
  billing: PriceBilling | null;
  @Field(() => SafeInt, { nullable: true, description: 'The pay that subscribed the item (settlement lines).' })
  billId: number | null;
}

@ObjectType({ description: 'The hold a HOLD, CAPTURE or RELEASE bill belongs to, as it was.' })
export class PricingHold {
  @Field(() => ID, { nullable: true, description: "The hold's id (absent on its HOLD bill, written before the id)." })
  id: string | null;
  @Field(() => SafeInt, { description: 'Cents the hold reserved.' }) amount: number;
  @Field(() => Int, { nullable: true, description: 'The hold ttlSeconds (HOLD bills).' }) ttlSeconds: number | null;
  @Field(() => SafeInt, { nullable: true, description: 'Cents captured (CAPTURE bills).' }) captured: number | null;
}

@ObjectType({
  description:
    'How a bill was priced: the typed form of `priceInfo`. Pay by items: items and total; with a coupon also couponId ' +
    'and discount (amount = −(total − discount)); hold bills: hold; settlement: month, items, total. A rollback ' +
    "carries its pay's. Fields that do not apply are null.",
})
export class BillPricing {
  @Field(() => [PricingLine], { nullable: true, description: 'The priced lines.' }) items: PricingLine[] | null;
  @Field(() => SafeInt, { nullable: true, description: 'Cents before the discount.' }) total: number | null;
  @Field(() => ID, { nullable: true, description: 'The coupon redeemed.' }) couponId: string | null;
  @Field(() => SafeInt, { nullable: true, description: 'Cents the coupon took off.' }) discount: number | null;
  @Field(() => String, { nullable: true, description: 'The settled month, YYYY-MM (SETTLEMENT bills).' }) month:
    string | null;
  @Field(() => PricingHold, { nullable: true, description: 'The hold (HOLD, CAPTURE, RELEASE bills).' })
  hold: PricingHold | null;

  /** null when the bill has no pricing (a recharge, a pay of an amount). */
  static fromJson(info: unknown): BillPricing | null {
    if (!isObject(info)) return null;
    const lines = Array.isArray(info.items) ? info.items.filter(isObject) : null;
    const hold = isObject(info.hold) ? info.hold : null;
    return Object.assign(new BillPricing(), {
      items:
        lines &&
        lines.map((l) =>
          Object.assign(new PricingLine(), {
            name: String(l.name),
            quantity: num(l.quantity) ?? 0,
            unitPrice: num(l.unitPrice) ?? 0,
            subtotal: num(l.subtotal),
            billing: l.billing === PriceBilling.MONTHLY || l.billing === PriceBilling.ONE_TIME ? l.billing : null,
            billId: num(l.billId),
          }),
        ),
      total: num(info.total),
      couponId: idOf(info.couponId),
      discount: num(info.discount),
      month: typeof info.month === 'string' ? info.month : null,
      hold:
        hold &&
        Object.assign(new PricingHold(), {
          id: idOf(hold.id),
          amount: num(hold.amount) ?? 0,
          ttlSeconds: num(hold.ttlSeconds),
          captured: num(hold.captured),
        }),
    });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/** An id as the API shows it (a string), from a number or string in the stored JSON. */
function idOf(v: unknown): string | null {
  return typeof v === 'number' || typeof v === 'string' ? String(v) : null;
}
