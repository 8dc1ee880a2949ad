import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PriceBilling } from '../price/price.model';

/** Table `entitlement` (migration Init): what a pay delivered. */
@Entity('entitlement')
@Index('entitlement_bill', ['appId', 'billId'])
@Check('entitlement_quantity_check', 'quantity > 0')
export class EntitlementEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'entitlement_pkey' }) appId: number;
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'entitlement_pkey' }) id: number;
  @Column({ type: 'varchar', length: 128 }) name: string;
  @Column({ type: 'integer' }) quantity: number;
  @Column({ type: 'text' }) billing: PriceBilling;
  @Column({ name: 'unit_price', type: 'bigint' }) unitPrice: number;
  @Column({ name: 'bill_id', type: 'bigint' }) billId: number;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
}
