import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { PriceBilling } from '../price/price.model';

/**
 * Table `entitlement` (migrations Init, EntitlementLines): what a pay delivered, one row per line of the pay, keyed
 * by the pay's bill and the line's place in it (1, 2, …).
 */
@Entity('entitlement')
@Check('entitlement_quantity_check', 'quantity > 0')
export class EntitlementEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'entitlement_pkey' }) appId: number;
  @PrimaryColumn({ name: 'bill_id', type: 'bigint', primaryKeyConstraintName: 'entitlement_pkey' }) billId: number;
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'entitlement_pkey' }) line: number;
  @Column({ type: 'varchar', length: 128 }) name: string;
  @Column({ type: 'integer' }) quantity: number;
  @Column({ type: 'text' }) billing: PriceBilling;
  @Column({ name: 'unit_price', type: 'bigint' }) unitPrice: number;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
}
