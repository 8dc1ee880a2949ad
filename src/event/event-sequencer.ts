import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { LedgerEnv } from '../config/env';
import { EVENTS_CHANNEL, EventHub } from './event-hub';

const BATCH = 2000;
const PURGE_EVERY_MS = 60_000;

/**
 * Gives committed events their place in the feed (docs/events.md).
 *
 * The triggers insert events with seq NULL. Sequence values taken at insert
 * would follow insert order, not commit order, and a reader paging with
 * `seq > after` could pass an event whose transaction commits late. Here one
 * transaction at a time across all instances (the row lock of
 * `event_sequencer`, taken with SKIP LOCKED: a busy instance skips its turn)
 * numbers the committed unsequenced events in id order after the last seq, and
 * in the same transaction creates the webhook deliveries of those events and
 * notifies every instance. Each run starts after the previous one committed,
 * so the sequenced set only ever grows at its end: a reader never skips one.
 *
 * It runs on a short timer (EVENT_SEQUENCER_INTERVAL_MS) on every instance,
 * and again at once while a run finds a full batch. The triggers do not NOTIFY
 * (a NOTIFY in every posting would serialize commits on PostgreSQL's
 * notification queue lock); the timer bounds the delay instead.
 * Also purges sequenced events older than EVENT_RETENTION_DAYS.
 */
@Injectable()
export class EventSequencer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventSequencer.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastPurge = 0;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly hub: EventHub,
    private readonly config: ConfigService<LedgerEnv, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay = this.config.get('EVENT_SEQUENCER_INTERVAL_MS', { infer: true })): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = null));
    }, delay);
  }

  private async tick(): Promise<void> {
    let more = false;
    try {
      more = (await this.runOnce()) === BATCH;
      if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
        this.lastPurge = Date.now();
        await this.purge();
      }
    } catch (err) {
      if (!this.stopped) this.logger.warn(`event sequencer: ${(err as Error).message}`);
    }
    this.schedule(more ? 0 : undefined);
  }

  /** One run: how many events it sequenced (0 when another instance held the turn). */
  async runOnce(): Promise<number> {
    const sequenced = await this.ds.transaction(async (m) => {
      const turn: { last_seq: number }[] = await m.query(
        'SELECT last_seq FROM event_sequencer WHERE id = 1 FOR UPDATE SKIP LOCKED',
      );
      if (!turn.length) return 0;
      // A new statement, so a new snapshot: it sees every run that committed before this one took the turn.
      const [r]: { n: number; last_seq: number }[] = await m.query(SEQUENCE_SQL, [turn[0].last_seq, BATCH]);
      if (r.n > 0) await m.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(r.last_seq)]);
      return r.n;
    });
    if (sequenced > 0) this.hub.wake();
    return sequenced;
  }

  private async purge(): Promise<void> {
    const days = this.config.get('EVENT_RETENTION_DAYS', { infer: true });
    await this.ds.query(
      `DELETE FROM ledger_event WHERE id IN (
         SELECT id FROM ledger_event
          WHERE created_at < now() - make_interval(days => $1) AND seq IS NOT NULL LIMIT 10000)`,
      [days],
    );
  }
}

/**
 * $1 the last seq given, $2 the batch size. Numbers the oldest committed
 * unsequenced events (id order) from $1 + 1, queues their webhook deliveries
 * (enabled endpoints of their app or of every app, whose types include theirs)
 * and moves last_seq.
 */
const SEQUENCE_SQL = `
WITH n AS (
  SELECT id, $1::bigint + row_number() OVER (ORDER BY id) AS s
    FROM (SELECT id FROM ledger_event WHERE seq IS NULL ORDER BY id LIMIT $2) x
), u AS (
  UPDATE ledger_event e SET seq = n.s FROM n WHERE e.id = n.id RETURNING e.id, e.type, e.app_id
), d AS (
  INSERT INTO webhook_delivery (endpoint_id, event_id)
  SELECT w.id, u.id FROM u
    JOIN webhook_endpoint w ON w.enabled AND (w.app_id IS NULL OR w.app_id = u.app_id)
                           AND (w.types IS NULL OR u.type = ANY (w.types))
  ON CONFLICT ON CONSTRAINT webhook_delivery_once DO NOTHING
), s AS (
  UPDATE event_sequencer SET last_seq = $1::bigint + (SELECT count(*) FROM n)
   WHERE id = 1 AND EXISTS (SELECT 1 FROM n)
)
SELECT (SELECT count(*) FROM u)::integer AS n, $1::bigint + (SELECT count(*) FROM n) AS last_seq`;
