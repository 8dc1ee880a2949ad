import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { HoldStatus } from './hold.model';

/** Table `hold` (migration Holds): a reservation of part of a balance. Written by the write path in SQL. */
@Entity('hold')
// No unique key on orderNo or billId: its HOLD bill's keys make both unique (migration HoldKeys).
@Index('hold_open_expiry', ['expiresAt'], { where: `status = 'OPEN'` })
// (app_id) INCLUDE (amount) WHERE status = 'OPEN': TypeORM has no INCLUDE, so the schema builder leaves this one alone.
@Index('hold_open_app', { synchronize: false })
// The row's rules (amount, status, captured, ended_at), one function: src/database/functions/ledger_hold_valid.sql.
@Check('hold_valid', 'ledger_hold_valid(status, amount, captured, ended_at)')
export class HoldEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'hold_pkey' }) appId: number;
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'hold_pkey' }) id: number;
  @Column({ name: 'order_no', type: 'varchar', length: 64 }) orderNo: string;
  @Column({ name: 'bill_id', type: 'bigint' }) billId: number;
  @Column({ type: 'bigint' }) amount: number;
  @Column({ type: 'bigint', default: 0 }) captured: number;
  @Column({ type: 'text', default: 'OPEN' }) status: HoldStatus;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
}
