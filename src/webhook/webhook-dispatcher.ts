import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { LedgerEnv } from '../config/env';
import { EventHub } from '../event/event-hub';
import { LedgerEvent, LedgerEventRow } from '../event/event.model';
import { urlProblem } from './url-policy';
import { sign } from './webhook-signature';
import { WebhookService } from './webhook.service';

const CLAIM = 16;
/** A claimed attempt's lease beyond the timeout: the time to record its result. */
const LEASE_MARGIN_MS = 2000;

interface Claimed extends LedgerEventRow {
  delivery_id: number;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Sends webhook deliveries, on every instance at once.
 *
 * A delivery is claimed with FOR UPDATE SKIP LOCKED and, in the same short
 * transaction, leased: its next_attempt_at moves to the end of the attempt
 * (WEBHOOK_TIMEOUT_MS plus a margin) and attempts grows. The claim commits
 * before the POST, so no transaction stays open across the network; if this
 * process dies mid-attempt, the delivery falls due again when the lease ends
 * and any instance sends it again with the same webhook-id (at least once).
 * The result is then recorded: a 2xx delivers; a 410 disables the endpoint;
 * anything else (or no answer in time) is retried on WEBHOOK_RETRY_SCHEDULE,
 * after which the delivery is FAILED.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private unlisten: (() => void) | null = null;
  /** Aborts attempts in flight at shutdown: they count as failed and are retried (by the lease if need be). */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly ds: DataSource,
    private readonly hub: EventHub,
    private readonly webhooks: WebhookService,
    private readonly config: ConfigService<LedgerEnv, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.unlisten = this.hub.listen(() => this.kick());
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.shutdown.abort();
    this.unlisten?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs now (or right after the current run), then on the timer. */
  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.timer = setTimeout(() => this.kick(), this.config.get('WEBHOOK_DISPATCH_INTERVAL_MS', { infer: true }));
      }
    });
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const claimed = await this.claim();
        await Promise.all(claimed.map((c) => this.attempt(c)));
        if (claimed.length < CLAIM || this.stopped) return;
      }
    } catch (err) {
      if (!this.stopped) this.logger.warn(`webhook dispatcher: ${(err as Error).message}`);
    }
  }

  private claim(): Promise<Claimed[]> {
    const leaseMs = this.config.get('WEBHOOK_TIMEOUT_MS', { infer: true }) + LEASE_MARGIN_MS;
    return this.ds.query(
      `WITH c AS (
         SELECT d.id FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id AND w.enabled
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
          ORDER BY d.next_attempt_at, d.id LIMIT $1
          FOR UPDATE OF d SKIP LOCKED
       ), u AS (
         UPDATE webhook_delivery d
            SET attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $2 / 1000.0),
                next_attempt_at = now() + make_interval(secs => $2 / 1000.0)
           FROM c WHERE d.id = c.id
         RETURNING d.id, d.attempts, d.endpoint_id, d.event_id
       )
       SELECT u.id AS delivery_id, u.attempts, w.url, w.secret,
              e.id, e.seq, e.type, e.app_id, ledger_event_data(e) AS data, e.created_at
         FROM u JOIN webhook_endpoint w ON w.id = u.endpoint_id JOIN ledger_event e ON e.id = u.event_id`,
      [CLAIM, leaseMs],
    );
  }

  private async attempt(c: Claimed): Promise<void> {
    const event = LedgerEvent.fromRow(c);
    const body = JSON.stringify(event.toJSON());
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = await urlProblem(c.url, this.webhooks.strictUrls());
    if (!error) {
      try {
        const res = await fetch(c.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'ledger-webhooks/1',
            'webhook-id': event.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': sign(c.secret, event.id, timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([
            AbortSignal.timeout(this.config.get('WEBHOOK_TIMEOUT_MS', { infer: true })),
            this.shutdown.signal,
          ]),
        });
        status = res.status;
        await res.body?.cancel().catch(() => undefined);
      } catch (err) {
        error = (err as Error).name === 'TimeoutError' ? 'timeout' : `network: ${(err as Error).message}`.slice(0, 200);
      }
    }
    await this.record(c, status, error);
  }

  private async record(c: Claimed, status: number | null, error: string | null): Promise<void> {
    if (status !== null && status >= 200 && status < 300) {
      await this.ds.query(
        `UPDATE webhook_delivery SET status = 'DELIVERED', delivered_at = now(), last_status = $2, last_error = NULL,
                lease_until = NULL WHERE id = $1`,
        [c.delivery_id, status],
      );
      return;
    }
    if (status === 410) {
      await this.ds.transaction(async (m) => {
        await m.query(
          `UPDATE webhook_endpoint SET enabled = false, disabled_reason = 'the endpoint answered 410 Gone'
            WHERE id = (SELECT endpoint_id FROM webhook_delivery WHERE id = $1)`,
          [c.delivery_id],
        );
        await m.query(
          `UPDATE webhook_delivery SET status = 'FAILED', last_status = 410, last_error = 'gone', lease_until = NULL
            WHERE id = $1`,
          [c.delivery_id],
        );
      });
      return;
    }
    const schedule = this.config.get('WEBHOOK_RETRY_SCHEDULE', { infer: true });
    const delay = schedule[c.attempts - 1];
    await this.ds.query(
      `UPDATE webhook_delivery
          SET status = CASE WHEN $3::bigint IS NULL THEN 'FAILED' ELSE 'PENDING' END,
              next_attempt_at = now() + make_interval(secs => COALESCE($3::bigint, 0) / 1000.0),
              last_status = $2, last_error = $4, lease_until = NULL
        WHERE id = $1 AND attempts = $5 AND status = 'PENDING'`,
      [c.delivery_id, status, delay ?? null, error ?? (status !== null ? `HTTP ${status}` : null), c.attempts],
    );
  }
}
