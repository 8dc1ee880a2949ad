import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { toDate } from '../common/graphql/dates';
import { SafeInt } from '../common/graphql/scalars';

/** ISSUED and USED are stored; EXPIRED is an ISSUED coupon past its `expiresAt`. */
export enum CouponStatus {
  ISSUED = 'ISSUED',
  USED = 'USED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(CouponStatus, {
  name: 'CouponStatus',
  description: 'Where a coupon stands.',
  valuesMap: {
    ISSUED: { description: 'Usable until expiresAt.' },
    USED: { description: 'Redeemed by a pay (usedByBillId); a rollback of that pay makes it ISSUED again.' },
    EXPIRED: { description: 'Issued, unused and past expiresAt.' },
  },
});

export interface CouponTemplateRow {
  code: string;
  name: string;
  discount: number;
  min_spend: number;
  stock: number | null;
  issued: number;
  per_app_limit: number;
  valid_days: number;
  created_at: Date | string;
}

@ObjectType({ description: 'What a coupon grants; coupons copy its terms when issued.' })
export class CouponTemplate {
  @Field({ description: 'The template key.' }) code: string;
  @Field({ description: 'A name for people.' }) name: string;
  @Field(() => SafeInt, { description: 'Cents off a pay.' }) discount: number;
  @Field(() => SafeInt, { description: 'The pay amount (before the discount) must reach this.' }) minSpend: number;
  @Field(() => Int, { nullable: true, description: 'How many may ever be issued; null: unlimited.' }) stock:
    number | null;
  @Field(() => Int, { description: 'How many have been issued.' }) issued: number;
  @Field(() => Int, { description: 'How many one app may ever receive.' }) perAppLimit: number;
  @Field(() => Int, { description: 'A coupon expires this many days after it is issued.' }) validDays: number;
  @Field({ description: 'When it was created.' }) createdAt: Date;

  static fromRow(r: CouponTemplateRow): CouponTemplate {
    return Object.assign(new CouponTemplate(), {
      code: r.code,
      name: r.name,
      discount: r.discount,
      minSpend: r.min_spend,
      stock: r.stock,
      issued: r.issued,
      perAppLimit: r.per_app_limit,
      validDays: r.valid_days,
      createdAt: toDate(r.created_at),
    });
  }
}

/**
 * The coupon's status as the API shows it, computed by PostgreSQL (one clock
 * for the filter in `coupons(status)`, the answer, and the check in pay).
 */
export const COUPON_STATE_SQL = `CASE WHEN status = 'USED' THEN 'USED' WHEN expires_at <= now() THEN 'EXPIRED' ELSE 'ISSUED' END`;

export interface CouponRow {
  id: number;
  app_id: number;
  template_code: string;
  discount: number;
  min_spend: number;
  /** The stored status: ISSUED or USED. */
  status: 'ISSUED' | 'USED';
  /** COUPON_STATE_SQL: ISSUED, USED or EXPIRED. */
  state: CouponStatus;
  order_no: string;
  expires_at: Date | string;
  used_by_bill_id: number | null;
  created_at: Date | string;
}

@ObjectType({ description: 'A coupon granted to an app: cents off one of its pays.' })
export class Coupon {
  @Field(() => ID, { description: "The coupon's id (couponId in pay)." }) id: string;
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'The template it was issued from.' }) templateCode: string;
  @Field(() => SafeInt, { description: 'Cents off the pay (copied from the template).' }) discount: number;
  @Field(() => SafeInt, { description: 'The pay amount (before the discount) must reach this.' }) minSpend: number;
  @Field(() => CouponStatus, { description: 'ISSUED (usable), USED, or EXPIRED (issued, unused and past expiresAt).' })
  status: CouponStatus;
  @Field({ description: 'The orderNo of the issueCoupon request that granted it.' }) orderNo: string;
  @Field({ description: 'After this it can no longer be used.' }) expiresAt: Date;
  @Field(() => SafeInt, { nullable: true, description: 'The billId of the pay that used it.' })
  usedByBillId: number | null;
  @Field({ description: 'When it was issued.' }) createdAt: Date;

  static fromRow(r: CouponRow): Coupon {
    return Object.assign(new Coupon(), {
      id: String(r.id),
      appId: r.app_id,
      templateCode: r.template_code,
      discount: r.discount,
      minSpend: r.min_spend,
      status: r.state,
      orderNo: r.order_no,
      expiresAt: toDate(r.expires_at),
      usedByBillId: r.used_by_bill_id,
      createdAt: toDate(r.created_at),
    });
  }
}

@ObjectType({ description: 'What issueCoupon answers.' })
export class CouponResult {
  @Field(() => Coupon, { description: 'The coupon granted (a replay: the same coupon).' }) coupon: Coupon;
  @Field({ description: 'True when this is the stored answer of an earlier request with the same orderNo.' })
  replayed: boolean;
}
