import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { rowsOfKnownApp } from '../common/known-app';
import { command, Origin } from '../common/idempotency/command';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { HoldsArgs } from './dto/hold.inputs';
import { Hold, HoldRow } from './hold.model';

/** Expiry is the system's act, whoever (job or a late capture) performs it: its bill is the same either way. */
const EXPIRY_ORIGIN: Origin = { user: 'system:hold-expiry', srcIp: null };

/**
 * The orderNo of the RELEASE bill that expires a hold. Deterministic, so the
 * bill's (app_id, order_no, channel) key makes a second expiry impossible;
 * '/' is outside the API's orderNo alphabet, so no client order can take it.
 * (ledger_expire_hold.sql writes it.)
 */
export function expiryOrderNo(holdId: number): string {
  return `expire/${holdId}`;
}

/**
 * Holds (SPEC §5): reads, and the expiry job's batches. Placing, capturing
 * and releasing are commands (hold.resolver.ts), decided in PostgreSQL
 * (ledger_op_hold, ledger_op_capture_hold, ledger_op_release_hold): a HOLD
 * bill (amount 0, held +amount) places a hold; a CAPTURE bill (−captured,
 * held −amount: the rest is released) or a RELEASE bill (0, held −amount)
 * ends it, sharing the hold's billId. Every command locks the account row,
 * then the hold row, so capture, release and expiry racing on one hold end
 * it exactly once; the losers see HOLD_NOT_OPEN.
 */
@Injectable()
export class HoldService {
  constructor(
    private readonly db: EntityManager,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * One batch of the expiry job: due OPEN holds of apps without another
   * owner's lease, each expired by its own `expireHold` command (one
   * statement; the command re-checks, under the account and hold locks, that
   * the hold is still OPEN and due, so instances running the job at once, or
   * a capture racing it, end each hold once). A lease taken since the pick
   * leaves the hold OPEN for next time (no waiting).
   */
  async expireDue(limit: number): Promise<{ picked: number; expired: number }> {
    const due: Pick<HoldRow, 'app_id' | 'id'>[] = await this.db.query(
      `SELECT h.app_id, h.id FROM hold h
        WHERE h.status = 'OPEN' AND h.expires_at <= now()
          AND (ledger_lease_blocking(h.app_id, NULL)).app_id IS NULL
        ORDER BY h.expires_at
        LIMIT $1`,
      [limit],
    );
    const outcomes = await Promise.all(
      due.map((h) =>
        this.idempotency
          .run<{ expired: boolean }>(
            command({
              op: 'expireHold',
              appId: h.app_id,
              orderNo: expiryOrderNo(h.id),
              origin: EXPIRY_ORIGIN,
              args: { holdId: String(h.id) },
              fingerprinted: null,
              leaseWaitMs: 0,
            }),
          )
          .then(
            (r) => r.expired,
            (err) => {
              if (err instanceof LedgerError && err.code === ErrorCode.ACCOUNT_LOCKED) return false;
              throw err;
            },
          ),
      ),
    );
    return { picked: due.length, expired: outcomes.filter(Boolean).length };
  }

  async get(appId: number, id: string): Promise<Hold> {
    const rows: HoldRow[] = await this.db.query('SELECT * FROM hold WHERE app_id = $1 AND id = $2', [appId, id]);
    if (!rows[0]) throw LedgerError.notFound(`no hold ${id} for app ${appId}`);
    return Hold.fromRow(rows[0]);
  }

  async list(args: HoldsArgs): Promise<Hold[]> {
    const rows: HoldRow[] = await this.db.query(
      `SELECT * FROM hold WHERE app_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY id DESC LIMIT $3`,
      [args.appId, args.status ?? null, args.first],
    );
    return (await rowsOfKnownApp(this.db, args.appId, rows)).map(Hold.fromRow);
  }
}
