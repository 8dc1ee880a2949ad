import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Account } from '../account/account.model';
import { BillChannel } from '../bill/bill.model';
import { LedgerService, Origin, Posted } from '../bill/ledger.service';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { rowsOfKnownApp } from '../common/known-app';
import { CaptureHoldInput, HoldInput, HoldsArgs, ReleaseHoldInput } from './dto/hold.inputs';
import { sqlRows } from '../database/sql';
import { Hold, HoldRow, HoldStatus } from './hold.model';

export interface HeldResult {
  hold: Hold;
  account: Account;
}

/** Expiry is the system's act, whoever (job or a late capture) performs it: its bill is the same either way. */
const EXPIRY_ORIGIN: Origin = { user: 'system:hold-expiry', srcIp: null };

/**
 * The orderNo of the RELEASE bill that expires a hold. Deterministic, so the
 * bill's (app_id, order_no, channel) key makes a second expiry impossible;
 * '/' is outside the API's orderNo alphabet, so no client order can take it.
 */
export function expiryOrderNo(holdId: number): string {
  return `expire/${holdId}`;
}

/**
 * Holds (SPEC §5). Money moves only through LedgerService.post: a HOLD bill
 * (amount 0, held +amount) places it; a CAPTURE bill (−captured, held −amount:
 * the rest is released) or a RELEASE bill (0, held −amount) ends it, sharing
 * the hold's billId. Ending locks the hold row first, so capture, release and
 * expiry racing on one hold end it exactly once; the losers see HOLD_NOT_OPEN.
 */
@Injectable()
export class HoldService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly ledger: LedgerService,
  ) {}

  async place(input: HoldInput, origin: Origin): Promise<HeldResult> {
    // A refused hold (balance, frozen) writes its FAILED HOLD bill inside post() and throws a stored error.
    const posted = await this.ledger.post({
      ...origin,
      appId: input.appId,
      orderNo: input.orderNo,
      channel: BillChannel.HOLD,
      amount: 0,
      heldDelta: input.amount,
      info: input.info,
      // HOLD bills carry amount 0; the reserved sum is kept on the bill too, so the ledger alone tells the story.
      priceInfo: { hold: { amount: input.amount, ttlSeconds: input.ttlSeconds } },
      refuseIfFrozen: true,
    });
    const rows: HoldRow[] = await this.txHost.tx.query(
      `INSERT INTO hold (app_id, order_no, bill_id, amount, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       RETURNING *`,
      [input.appId, input.orderNo, posted.bill.billId, input.amount, input.ttlSeconds],
    );
    return { hold: Hold.fromRow(rows[0]), account: posted.account };
  }

  /**
   * Capturing a hold is honoured on a frozen account: the money was set aside
   * while the account could still spend, as a card network honours an
   * authorisation. The rest of the hold is released by the same bill.
   */
  async capture(input: CaptureHoldInput, origin: Origin): Promise<Posted> {
    const h = await this.lockOpen(input.appId, input.holdId);
    const amount = input.amount ?? h.amount;
    if (amount > h.amount) {
      throw LedgerError.invalid('input.amount', `${amount} is above the hold's ${h.amount} cents`);
    }
    const posted = await this.ledger.post({
      ...origin,
      appId: h.app_id,
      orderNo: input.orderNo,
      channel: BillChannel.CAPTURE,
      amount: -amount,
      heldDelta: -h.amount,
      billId: h.bill_id,
      priceInfo: { hold: { id: String(h.id), amount: h.amount, captured: amount } },
      refuseIfFrozen: false,
    });
    await this.end(h, HoldStatus.CAPTURED, amount);
    return posted;
  }

  async release(input: ReleaseHoldInput, origin: Origin): Promise<HeldResult> {
    const h = await this.lockOpen(input.appId, input.holdId);
    const posted = await this.ledger.post({
      ...origin,
      appId: h.app_id,
      orderNo: input.orderNo,
      channel: BillChannel.RELEASE,
      amount: 0,
      heldDelta: -h.amount,
      billId: h.bill_id,
      priceInfo: { hold: { id: String(h.id), amount: h.amount } },
      refuseIfFrozen: false,
    });
    return { hold: await this.end(h, HoldStatus.RELEASED, 0), account: posted.account };
  }

  /**
   * Locks the hold and returns it if it is still OPEN. A hold past its deadline
   * is expired here and now (in the caller's transaction, which commits it with
   * the stored HOLD_NOT_OPEN answer), whether or not the job has come by yet.
   * The deadline is compared with the clock once the lock is ours (the outer
   * SELECT runs after the CTE has locked the row), not when we asked for it.
   * No FAILED bill is written for HOLD_NOT_OPEN, as for ALREADY_REVERSED: the
   * hold's bills already say how it ended.
   */
  private async lockOpen(appId: number, holdId: string): Promise<HoldRow> {
    const rows: (HoldRow & { past_deadline: boolean })[] = await this.txHost.tx.query(
      `WITH h AS (SELECT * FROM hold WHERE app_id = $1 AND id = $2 FOR UPDATE)
       SELECT h.*, h.expires_at <= clock_timestamp() AS past_deadline FROM h`,
      [appId, holdId],
    );
    const h = rows[0];
    if (!h) throw LedgerError.notFound(`no hold ${holdId} for app ${appId}`);
    if (h.status === HoldStatus.OPEN && h.past_deadline) {
      await this.expire(h);
      h.status = HoldStatus.EXPIRED;
    }
    if (h.status !== HoldStatus.OPEN) {
      throw new LedgerError(ErrorCode.HOLD_NOT_OPEN, `hold ${holdId} is ${h.status}`, { holdStatus: h.status });
    }
    return h;
  }

  /** Ends a locked, OPEN hold as EXPIRED with its RELEASE bill. */
  private async expire(h: HoldRow, leaseWaitMs?: number): Promise<void> {
    await this.ledger.post({
      ...EXPIRY_ORIGIN,
      appId: h.app_id,
      orderNo: expiryOrderNo(h.id),
      channel: BillChannel.RELEASE,
      amount: 0,
      heldDelta: -h.amount,
      billId: h.bill_id,
      info: 'expired',
      priceInfo: { hold: { id: String(h.id), amount: h.amount } },
      refuseIfFrozen: false,
      leaseWaitMs,
    });
    await this.end(h, HoldStatus.EXPIRED, 0);
  }

  private async end(h: HoldRow, status: HoldStatus, captured: number): Promise<Hold> {
    const rows = await sqlRows<HoldRow>(
      this.txHost.tx,
      `UPDATE hold SET status = $3, captured = $4, ended_at = clock_timestamp()
        WHERE app_id = $1 AND id = $2 AND status = 'OPEN'
       RETURNING *`,
      [h.app_id, h.id, status, captured],
    );
    // The row is locked by this transaction and was OPEN: anything else is a bug, and rolls everything back.
    if (!rows[0]) throw new Error(`hold ${h.id} of app ${h.app_id} was not OPEN under its lock`);
    return Hold.fromRow(rows[0]);
  }

  /**
   * One batch of the expiry job, in one transaction: due OPEN holds, locked
   * with SKIP LOCKED so that every instance can run the job at once (each
   * takes other holds; a hold being captured or released is skipped and
   * either ends there or comes back next time). Apps under an AppLock lease
   * are left for later rather than waited for. Accounts are updated in
   * (app_id, id) order, the same on every instance, so two batches never
   * deadlock on account rows.
   */
  async expireDue(limit: number): Promise<{ picked: number; expired: number }> {
    return this.txHost.withTransaction(async () => {
      const due: HoldRow[] = await this.txHost.tx.query(
        `SELECT * FROM hold h
          WHERE h.status = 'OPEN' AND h.expires_at <= now()
            AND NOT EXISTS (SELECT 1 FROM app_lock l
                             WHERE l.app_id = h.app_id AND l.owner IS NOT NULL AND l.expires_at > now())
          ORDER BY h.expires_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      due.sort((a, b) => a.app_id - b.app_id || a.id - b.id);
      let expired = 0;
      for (const h of due) {
        try {
          await this.expire(h, 0);
          expired++;
        } catch (err) {
          // Leased since the pick: leave it OPEN (nothing was written for it) and take it next time.
          if (!(err instanceof LedgerError && err.code === ErrorCode.ACCOUNT_LOCKED)) throw err;
        }
      }
      return { picked: due.length, expired };
    });
  }

  async get(appId: number, id: string): Promise<Hold> {
    const rows: HoldRow[] = await this.txHost.tx.query('SELECT * FROM hold WHERE app_id = $1 AND id = $2', [appId, id]);
    if (!rows[0]) throw LedgerError.notFound(`no hold ${id} for app ${appId}`);
    return Hold.fromRow(rows[0]);
  }

  async list(args: HoldsArgs): Promise<Hold[]> {
    const rows: HoldRow[] = await this.txHost.tx.query(
      `SELECT * FROM hold WHERE app_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY id DESC LIMIT $3`,
      [args.appId, args.status ?? null, args.first],
    );
    return (await rowsOfKnownApp(this.txHost.tx, args.appId, rows)).map(Hold.fromRow);
  }
}
