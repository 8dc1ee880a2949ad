import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Table `statement` (migration Settlement): an account's month, written once by the settlement. */
@Entity('statement')
@Check('statement_month_check', `month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`)
@Check('statement_opening_balance_check', 'opening_balance >= 0')
@Check('statement_credits_check', 'credits >= 0')
@Check('statement_debits_check', 'debits >= 0')
@Check('statement_closing_balance_check', 'closing_balance >= 0')
@Check('statement_bill_count_check', 'bill_count >= 0')
@Check('statement_recurring_charge_check', 'recurring_charge >= 0')
@Check('statement_arrears_check', 'arrears >= 0')
export class StatementEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'statement_pkey' }) appId: number;
  @PrimaryColumn({ type: 'char', length: 7, primaryKeyConstraintName: 'statement_pkey' }) month: string;
  @Column({ name: 'opening_balance', type: 'bigint' }) openingBalance: number;
  @Column({ type: 'bigint' }) credits: number;
  @Column({ type: 'bigint' }) debits: number;
  @Column({ name: 'closing_balance', type: 'bigint' }) closingBalance: number;
  @Column({ name: 'bill_count', type: 'integer' }) billCount: number;
  @Column({ name: 'recurring_charge', type: 'bigint', default: 0 }) recurringCharge: number;
  @Column({ type: 'bigint', default: 0 }) arrears: number;
  @Column({ type: 'boolean' }) verified: boolean;
  @Column({ name: 'settlement_bill_id', type: 'bigint', nullable: true }) settlementBillId: number | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
