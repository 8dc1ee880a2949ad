import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { CouponStatus } from './coupon.model';
import { CouponTemplateEntity } from './coupon-template.entity';

/**
 * Table `coupon` (migration Coupons): an issued coupon (ISSUED or USED; EXPIRED is derived when read). Its pay's
 * bill names it (priceInfo.couponId); no index on status or used_by_bill_id, and fillfactor 90, so that using it
 * or giving it back rewrites the row in place (migration CouponUseInPlace).
 */
@Entity('coupon')
@Unique('coupon_order', ['appId', 'orderNo'])
// The row's rules (discount, min_spend, status, used_by_bill_id), one function: functions/ledger_coupon_valid.sql.
@Check('coupon_valid', 'ledger_coupon_valid(status, discount, min_spend, used_by_bill_id)')
export class CouponEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'coupon_pkey' }) appId: number;
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'coupon_pkey' }) id: number;
  @Column({ name: 'template_code', type: 'varchar', length: 64 }) templateCode: string;
  @ManyToOne(() => CouponTemplateEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })
  @JoinColumn({ name: 'template_code', foreignKeyConstraintName: 'coupon_template_code_fkey' })
  template?: CouponTemplateEntity;
  @Column({ type: 'bigint' }) discount: number;
  @Column({ name: 'min_spend', type: 'bigint' }) minSpend: number;
  @Column({ type: 'text' }) status: CouponStatus;
  @Column({ name: 'order_no', type: 'varchar', length: 64 }) orderNo: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'used_by_bill_id', type: 'bigint', nullable: true }) usedByBillId: number | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
