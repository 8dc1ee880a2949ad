import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Table `idempotency_key` (migration Init): the dedupe key and stored answer
 * of a mutation. Written by the write path in SQL; the entity keeps the
 * schema-drift test honest.
 */
@Entity('idempotency_key')
@Index('idempotency_key_created', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'idempotency_key_pkey' }) appId: number;
  @PrimaryColumn({ name: 'order_no', type: 'varchar', length: 64, primaryKeyConstraintName: 'idempotency_key_pkey' })
  orderNo: string;
  @Column({ type: 'text' }) operation: string;
  @Column({ type: 'text' }) fingerprint: string;
  @Column({ type: 'jsonb', nullable: true }) response: unknown;
  /** The row (`bill.id`) of the bill the answer gave, kept out of `response` (migration BillsWrittenOnce). */
  @Column({ name: 'bill_row', type: 'bigint', nullable: true }) billRow: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
