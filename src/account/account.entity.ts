import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Table `account` (migration Init): an app's prepaid balance, in cents. */
@Entity('account')
@Check('account_app_id_check', 'app_id > 0')
@Check('account_balance_range', 'balance >= 0 AND balance <= 9007199254740991')
@Check('account_held_range', 'held >= 0 AND held <= balance')
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
