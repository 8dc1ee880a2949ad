import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Table `account` (migration Init): an app's prepaid balance, in cents. */
@Entity('account')
// The row's rules (app_id, balance, held), one function: src/database/functions/ledger_account_valid.sql.
@Check('account_valid', 'ledger_account_valid(app_id, balance, held)')
export class AccountEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'account_pkey' }) appId: number;
  @Column({ type: 'bigint', default: 0 }) balance: number;
  @Column({ type: 'bigint', default: 0 }) held: number;
  @Column({ type: 'boolean', default: false }) frozen: boolean;
  @Column({ name: 'freeze_reason', type: 'text', nullable: true }) freezeReason: string | null;
  @Column({ type: 'integer', default: 0 }) version: number;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
