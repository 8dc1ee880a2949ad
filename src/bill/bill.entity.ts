import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { BillChannel, BillStatus } from './bill.model';

/**
 * Table `bill` (migration Init): the ledger. Written only by the posting path
 * (hand-written SQL, `ledger_post` under `ledger_run`); the entity types reads and keeps the
 * schema-drift test honest.
 */
@Entity('bill')
@Unique('bill_serial_channel', ['appId', 'billId', 'channel'])
@Unique('bill_order_channel', ['appId', 'orderNo', 'channel'])
@Index('bill_app_time', ['appId', 'createdAt'])
// The pays that delivered items: the rows the `entitlement` view reads (migration EntitlementsFromBills).
@Index('bill_delivery', ['appId', 'billId'], {
  where: `channel = 'PAY' AND status = 'SUCCESS' AND price_info ? 'items'`,
})
// The row's rules (channel, status, a SUCCESS bill's sum), one function: src/database/functions/ledger_bill_valid.sql.
@Check('bill_valid', 'ledger_bill_valid(channel, status, amount, old_balance, new_balance)')
export class BillEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'bill_pkey' }) appId: number;
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'bill_pkey' }) id: number;
  @Column({ name: 'bill_id', type: 'bigint' }) billId: number;
  @Column({ name: 'order_no', type: 'varchar', length: 64 }) orderNo: string;
  @Column({ type: 'text' }) channel: BillChannel;
  @Column({ type: 'bigint' }) amount: number;
  @Column({ name: 'old_balance', type: 'bigint' }) oldBalance: number;
  @Column({ name: 'new_balance', type: 'bigint' }) newBalance: number;
  @Column({ type: 'text' }) status: BillStatus;
  @Column({ name: 'ret_code', type: 'integer' }) retCode: number;
  @Column({ type: 'text', nullable: true }) info: string | null;
  @Column({ name: 'bill_user', type: 'text', nullable: true }) billUser: string | null;
  @Column({ name: 'price_info', type: 'jsonb', nullable: true }) priceInfo: unknown;
  @Column({ name: 'src_ip', type: 'text', nullable: true }) srcIp: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
