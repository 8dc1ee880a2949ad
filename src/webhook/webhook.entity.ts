import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { LedgerEventEntity } from '../event/ledger-event.entity';

/** A receiver of events (migration 1763900001000-Events). */
@Entity('webhook_endpoint')
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) url: string;
  /** NULL: every app's events (ADMIN/OPERATOR endpoints only). */
  @Column({ name: 'app_id', type: 'integer', nullable: true }) appId: number | null;
  /** NULL: every type. */
  @Column({ type: 'text', array: true, nullable: true }) types: string[] | null;
  /** whsec_…: kept so that deliveries can be signed. */
  @Column({ type: 'text' }) secret: string;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  @Column({ name: 'disabled_reason', type: 'text', nullable: true }) disabledReason: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}

/** One event to send to one endpoint; claimed with a lease by the dispatcher of any instance. */
@Entity('webhook_delivery')
@Check('webhook_delivery_status_check', `status IN ('PENDING','DELIVERED','FAILED')`)
@Unique('webhook_delivery_once', ['endpointId', 'eventId'])
@Index('webhook_delivery_due', ['nextAttemptAt'], { where: `status = 'PENDING'` })
@Index('webhook_delivery_event', ['eventId'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'endpoint_id', type: 'bigint' }) endpointId: string;
  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'webhook_delivery_endpoint_id_fkey' })
  endpoint?: WebhookEndpointEntity;
  @Column({ name: 'event_id', type: 'bigint' }) eventId: string;
  @ManyToOne(() => LedgerEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'webhook_delivery_event_id_fkey' })
  event?: LedgerEventEntity;
  @Column({ type: 'text', default: 'PENDING' }) status: string;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' }) nextAttemptAt: Date;
  /** A claimed attempt's deadline: past it, another dispatcher sends the delivery again. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil: Date | null;
  @Column({ name: 'last_status', type: 'integer', nullable: true }) lastStatus: number | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
