import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Table `coupon_template` (migration Coupons): a small reference table; `issued` stays within `stock`. */
@Entity('coupon_template')
@Check('coupon_template_discount_check', 'discount > 0 AND discount <= 9007199254740991')
@Check('coupon_template_min_spend_check', 'min_spend >= 0 AND min_spend <= 9007199254740991')
@Check('coupon_template_stock_check', 'stock >= 0')
@Check('coupon_template_per_app_limit_check', 'per_app_limit >= 1')
@Check('coupon_template_valid_days_check', 'valid_days >= 1')
@Check('coupon_template_issued_range', 'issued >= 0 AND (stock IS NULL OR issued <= stock)')
export class CouponTemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'coupon_template_pkey' }) code: string;
  @Column({ type: 'varchar', length: 128 }) name: string;
  @Column({ type: 'bigint' }) discount: number;
  @Column({ name: 'min_spend', type: 'bigint', default: 0 }) minSpend: number;
  @Column({ type: 'integer', nullable: true }) stock: number | null;
  @Column({ type: 'integer', default: 0 }) issued: number;
  @Column({ name: 'per_app_limit', type: 'integer' }) perAppLimit: number;
  @Column({ name: 'valid_days', type: 'integer' }) validDays: number;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
