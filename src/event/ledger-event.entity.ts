import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The outbox and the feed (migration 1763900001000-Events). Rows are written by the ledger's functions, never by
 * TypeORM. Fillfactor 45 (migration EventsNumberedInPlace): the sequencer's numbering of a row stays on its page.
 */
@Entity('ledger_event')
// The row's rule (the event types), one function: src/database/functions/ledger_event_valid.sql.
@Check('ledger_event_valid', 'ledger_event_valid(type)')
@Index('ledger_event_unsequenced', ['id'], { where: 'seq IS NULL' })
@Index('ledger_event_seq', ['seq'], { unique: true, where: 'seq IS NOT NULL' })
@Index('ledger_event_app_seq', ['appId', 'seq'], { where: 'seq IS NOT NULL' })
@Index('ledger_event_created', ['createdAt'])
export class LedgerEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  /** NULL until the sequencer gives the committed event its place in the feed. */
  @Column({ type: 'bigint', nullable: true }) seq: string | null;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'app_id', type: 'integer' }) appId: number;
  @Column({ type: 'jsonb' }) data: unknown;
  /** A BILL_RECORDED event's bill (`bill.id`), kept out of `data`: read through ledger_event_data (BillsWrittenOnce). */
  @Column({ name: 'bill_row', type: 'bigint', nullable: true }) billRow: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}

/** One row: the last seq given (its row lock: one sequencer at a time). */
@Entity('event_sequencer')
@Check('event_sequencer_id_check', 'id = 1')
export class EventSequencerEntity {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ name: 'last_seq', type: 'bigint' }) lastSeq: string;
}

/** setBalanceAlert: BALANCE_LOW when available crosses under `below`. */
@Entity('balance_alert')
@Check('balance_alert_below_check', 'below >= 0 AND below <= 9007199254740991')
export class BalanceAlertEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer' }) appId: number;
  @Column({ type: 'bigint' }) below: string;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
