import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { ApiKeyRole, Principal } from '../auth/principal';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import type { LedgerEnv } from '../config/env';
import { parseCursor } from '../event/event.service';
import { CreateWebhookEndpointInput, DeliveriesArgs, RedeliverArgs } from './dto/webhook.args';
import { urlProblem } from './url-policy';
import { newSecret } from './webhook-signature';
import {
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryRow,
  WebhookEndpoint,
  WebhookEndpointCreated,
  WebhookEndpointRow,
} from './webhook.model';

const ENDPOINT_COLUMNS = 'id, url, app_id, types, enabled, disabled_reason, created_at';

/**
 * Webhook endpoints and their deliveries. Who may: ADMIN and OPERATOR any
 * endpoint; an APP key only endpoints bound to its app (one it creates is
 * bound to it); another's is FORBIDDEN.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: ConfigService<LedgerEnv, true>,
  ) {}

  /** Production URL rules apply unless WEBHOOK_ALLOW_PRIVATE. */
  strictUrls(): boolean {
    return (
      this.config.get('NODE_ENV', { infer: true }) === 'production' &&
      !this.config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true })
    );
  }

  async create(principal: Principal, input: CreateWebhookEndpointInput): Promise<WebhookEndpointCreated> {
    const appId = principal.role === ApiKeyRole.APP ? principal.appId : (input.appId ?? null);
    const problem = await urlProblem(input.url, this.strictUrls());
    if (problem) throw LedgerError.invalid('input.url', problem);
    const secret = newSecret();
    const [row]: WebhookEndpointRow[] = await this.ds.query(
      `INSERT INTO webhook_endpoint (url, app_id, types, secret) VALUES ($1, $2, $3, $4) RETURNING ${ENDPOINT_COLUMNS}`,
      [input.url, appId, input.types?.length ? [...new Set(input.types)] : null, secret],
    );
    return Object.assign(new WebhookEndpointCreated(), { endpoint: WebhookEndpoint.fromRow(row), secret });
  }

  async list(principal: Principal, appId: number | undefined): Promise<WebhookEndpoint[]> {
    const app = principal.role === ApiKeyRole.APP ? principal.appId : (appId ?? null);
    const rows: WebhookEndpointRow[] = await this.ds.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE $1::integer IS NULL OR app_id = $1 ORDER BY id`,
      [app],
    );
    return rows.map((r) => WebhookEndpoint.fromRow(r));
  }

  /** The endpoint, if the principal may manage it. */
  async endpoint(principal: Principal, id: string): Promise<WebhookEndpoint> {
    const [row]: WebhookEndpointRow[] = await this.ds.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE id = $1`,
      [id],
    );
    if (!row) throw LedgerError.notFound(`no webhook endpoint ${id}`);
    if (principal.role === ApiKeyRole.APP && row.app_id !== principal.appId) {
      throw new LedgerError(ErrorCode.FORBIDDEN, `this key acts for app ${principal.appId} only`);
    }
    return WebhookEndpoint.fromRow(row);
  }

  async setEnabled(principal: Principal, id: string, enabled: boolean): Promise<WebhookEndpoint> {
    await this.endpoint(principal, id);
    const [row]: WebhookEndpointRow[] = await this.ds.query(
      `UPDATE webhook_endpoint SET enabled = $2, disabled_reason = CASE WHEN $2 THEN NULL ELSE 'disabled by a caller' END
        WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, enabled],
    );
    return WebhookEndpoint.fromRow(row);
  }

  async deliveries(principal: Principal, args: DeliveriesArgs): Promise<WebhookDeliveryConnection> {
    await this.endpoint(principal, args.endpointId);
    const rows: WebhookDeliveryRow[] = await this.ds.query(
      `SELECT d.id, d.endpoint_id, d.event_id, e.type AS event_type, d.status, d.attempts, d.next_attempt_at,
              d.last_status, d.last_error, d.delivered_at, d.created_at
         FROM webhook_delivery d JOIN ledger_event e ON e.id = d.event_id
        WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2) AND d.id > $3
        ORDER BY d.id LIMIT $4`,
      [args.endpointId, args.status ?? null, args.after ?? 0, args.first + 1],
    );
    const edges = rows.slice(0, args.first).map((r) => ({ cursor: String(r.id), node: WebhookDelivery.fromRow(r) }));
    return { edges, pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /**
   * Queues every kept event after the feed cursor that the endpoint would
   * receive, again: a new delivery, or an existing one back to PENDING (its
   * attempts start over). Answers how many.
   */
  async redeliver(principal: Principal, args: RedeliverArgs): Promise<number> {
    const endpoint = await this.endpoint(principal, args.endpointId);
    const after = parseCursor('after', args.after) ?? 0;
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO webhook_delivery (endpoint_id, event_id)
       SELECT w.id, e.id FROM webhook_endpoint w
         JOIN ledger_event e ON e.seq IS NOT NULL AND e.seq > $2
                            AND (w.app_id IS NULL OR e.app_id = w.app_id) AND (w.types IS NULL OR e.type = ANY (w.types))
        WHERE w.id = $1
       ON CONFLICT ON CONSTRAINT webhook_delivery_once DO UPDATE
         SET status = 'PENDING', attempts = 0, next_attempt_at = now(), lease_until = NULL,
             last_status = NULL, last_error = NULL, delivered_at = NULL
       RETURNING 1`,
      [endpoint.id, after],
    );
    return rows.length;
  }
}
