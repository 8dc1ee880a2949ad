import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CouponTemplateEntity } from './coupon-template.entity';

/** Table `coupon_quota` (migration Coupons): coupons issued per (app, template), behind `per_app_limit`. */
@Entity('coupon_quota')
@Check('coupon_quota_issued_check', 'issued >= 0')
export class CouponQuotaEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'coupon_quota_pkey' }) appId: number;
  @PrimaryColumn({ name: 'template_code', type: 'varchar', length: 64, primaryKeyConstraintName: 'coupon_quota_pkey' })
  templateCode: string;
  @ManyToOne(() => CouponTemplateEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })
  @JoinColumn({ name: 'template_code', foreignKeyConstraintName: 'coupon_quota_template_code_fkey' })
  template?: CouponTemplateEntity;
  @Column({ type: 'integer' }) issued: number;
}
