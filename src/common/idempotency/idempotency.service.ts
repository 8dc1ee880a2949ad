import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { constraintName, isRetryableConflict, sqlState, SQLSTATE } from '../errors/db-errors';
import { ErrorCode } from '../errors/error-codes';
import { LedgerError } from '../errors/ledger.error';
import { MAX_APP_ID, ORDER_NO_PATTERN } from '../validation';
import { fingerprint } from './canonical-json';
import { sqlRows } from '../../database/sql';

/**
 * What is kept on the dedupe row: the data of the first answer, or its
 * business error; or, from a one-statement mutation, the rows it revives from.
 */
type StoredAnswer =
  | { data: Record<string, unknown> }
  | { error: { code: ErrorCode; message: string; details: Record<string, unknown> } }
  | { rows: unknown };

interface DedupeRow {
  fingerprint: string;
  response: StoredAnswer;
}

/** The key a one-statement mutation claims. */
export interface ClaimKey {
  appId: number;
  orderNo: string;
  operation: string;
  fingerprint: string;
}

/**
 * What a one-statement mutation answered: the stored answer of an earlier
 * request, a refusal it left to the transaction path, or its own rows.
 */
export type OneStatementResult =
  | { fingerprint: string; stored: StoredAnswer; refused?: undefined }
  | { refused: true; fingerprint?: undefined }
  | (Record<string, unknown> & { refused?: undefined; fingerprint?: undefined });

/**
 * A mutation that can run as ONE statement (lookup, claim, change and stored
 * answer; see the ledger_post_once function). It answers `{refused: true}`
 * (having written nothing) or raises SQLSTATE LG002 to hand the request to
 * the transaction path, and raises LG001 when the key stays busy.
 */
export interface OneStatement<T> {
  run(key: ClaimKey): Promise<OneStatementResult>;
  /** The answer from the rows the statement returned (and stored). */
  revive: (rows: unknown) => T;
}

/** SQLSTATEs raised by the one-statement functions (and PostingBatcher). */
const KEY_BUSY = 'LG001';
export const TAKE_TRANSACTION_PATH = 'LG002';

export interface IdempotentCall {
  appId: unknown;
  orderNo: unknown;
  operation: string;
  /** The whole input: its canonical JSON is fingerprinted with the operation. */
  input: unknown;
}

const MAX_ATTEMPTS = 4;

/**
 * Exactly-once effects on (appId, orderNo), SPEC §6.
 *
 * One transaction: claim the key in `idempotency_key` (unique), run the
 * business change, store the answer, commit. A concurrent duplicate blocks on
 * the unique index until the first commits (bounded by the connection's
 * lock_timeout), then replays the stored answer. Business errors are stored and
 * committed with their FAILED bill; bad input and system errors roll back.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /**
   * Runs `handler` once per (appId, orderNo). With `oneStatement`, the request
   * first tries that single round trip; whatever it hands back (a refusal to
   * explain, a conflict) runs through the transaction below, whose answers
   * are the same.
   */
  async run<T extends object>(
    call: IdempotentCall,
    handler: () => Promise<T>,
    oneStatement?: OneStatement<T>,
  ): Promise<T & { replayed: boolean }> {
    const { appId, orderNo } = this.checkKey(call);
    const fp = fingerprint(call.operation, call.input);
    const revive = oneStatement?.revive;

    if (oneStatement) {
      const done = await this.once(oneStatement, { appId, orderNo, operation: call.operation, fingerprint: fp });
      if (done) return done;
    }

    const prior = await this.find(appId, orderNo);
    if (prior) return this.replay<T>(prior, fp, revive);

    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.txHost.withTransaction(async () => {
          if (!(await this.claim(appId, orderNo, call.operation, fp))) return null;
          try {
            const data = await handler();
            await this.save(appId, orderNo, { data: data as Record<string, unknown> });
            return { data };
          } catch (err: unknown) {
            if (!(err instanceof LedgerError) || !err.stored) throw err;
            await this.save(appId, orderNo, {
              error: { code: err.code, message: err.message, details: err.details },
            });
            return { error: err };
          }
        });
        if (outcome === null) {
          const row = await this.find(appId, orderNo);
          if (!row) continue; // the first request rolled back after all: run afresh
          return this.replay<T>(row, fp, revive);
        }
        if ('error' in outcome) throw outcome.error as LedgerError; // `in` widens a generic data to unknown
        return { ...outcome.data, replayed: false };
      } catch (err) {
        if (isRetryableConflict(err) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
          continue;
        }
        throw this.translate(err);
      }
    }
  }

  private async once<T>(one: OneStatement<T>, key: ClaimKey): Promise<(T & { replayed: boolean }) | undefined> {
    let result: OneStatementResult;
    try {
      result = await one.run(key);
    } catch (err) {
      const state = sqlState(err);
      if (state === TAKE_TRANSACTION_PATH || isRetryableConflict(err)) return undefined;
      throw this.translate(err);
    }
    if (result.refused === true) return undefined; // the rule refused: nothing was written
    if (typeof result.fingerprint === 'string' && 'stored' in result) {
      // A key's answer is written before its claim commits, so a visible key always has one.
      return this.replay<T>({ fingerprint: result.fingerprint, response: result.stored }, key.fingerprint, one.revive);
    }
    return { ...one.revive(result), replayed: false };
  }

  private checkKey(call: IdempotentCall): { appId: number; orderNo: string } {
    const { appId, orderNo } = call;
    if (typeof appId !== 'number' || !Number.isInteger(appId) || appId < 1 || appId > MAX_APP_ID) {
      throw LedgerError.invalid('input.appId', 'must be a positive 32-bit integer');
    }
    if (typeof orderNo !== 'string' || !ORDER_NO_PATTERN.test(orderNo)) {
      throw LedgerError.invalid('input.orderNo', 'must be 1-64 characters of A-Z a-z 0-9 _ . : -');
    }
    return { appId, orderNo };
  }

  private translate(err: unknown): unknown {
    const state = sqlState(err);
    if (state === KEY_BUSY || (state === SQLSTATE.LOCK_NOT_AVAILABLE && (err as { claim?: boolean }).claim)) {
      return new LedgerError(ErrorCode.REQUEST_IN_PROGRESS, 'the same orderNo is still being processed; retry');
    }
    if (state === SQLSTATE.UNIQUE_VIOLATION && constraintName(err) === 'bill_order_channel') {
      // The dedupe row is gone (purged) but the ledger still has this order.
      return new LedgerError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'this orderNo is already recorded in the ledger');
    }
    return err;
  }

  private replay<T>(row: DedupeRow, fp: string, revive?: (rows: unknown) => T): T & { replayed: boolean } {
    if (row.fingerprint !== fp) {
      throw new LedgerError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'this orderNo was already used with a different operation or input',
      );
    }
    const answer = row.response;
    if ('error' in answer) {
      throw new LedgerError(answer.error.code, answer.error.message, { ...answer.error.details, replayed: true });
    }
    if ('rows' in answer) {
      if (!revive) throw new Error(`stored rows for ${row.fingerprint} but no way to revive them`);
      return { ...revive(answer.rows), replayed: true };
    }
    return { ...(answer.data as T), replayed: true };
  }

  private async find(appId: number, orderNo: string): Promise<DedupeRow | undefined> {
    const rows: DedupeRow[] = await this.txHost.tx.query(
      'SELECT fingerprint, response FROM idempotency_key WHERE app_id = $1 AND order_no = $2',
      [appId, orderNo],
    );
    return rows[0];
  }

  private async claim(appId: number, orderNo: string, operation: string, fp: string): Promise<boolean> {
    try {
      const rows: unknown[] = await this.txHost.tx.query(
        `INSERT INTO idempotency_key (app_id, order_no, operation, fingerprint)
         VALUES ($1, $2, $3, $4) ON CONFLICT (app_id, order_no) DO NOTHING RETURNING 1`,
        [appId, orderNo, operation, fp],
      );
      return rows.length === 1;
    } catch (err) {
      if (sqlState(err) === SQLSTATE.LOCK_NOT_AVAILABLE) (err as { claim?: boolean }).claim = true;
      throw err;
    }
  }

  private async save(appId: number, orderNo: string, answer: StoredAnswer): Promise<void> {
    await this.txHost.tx.query('UPDATE idempotency_key SET response = $3 WHERE app_id = $1 AND order_no = $2', [
      appId,
      orderNo,
      JSON.stringify(answer),
    ]);
  }

  /** Drops dedupe rows older than the retention; the bill table's unique order key still guards them. */
  async purge(retentionDays: number): Promise<number> {
    const rows = await sqlRows(
      this.txHost.tx,
      `DELETE FROM idempotency_key WHERE created_at < now() - make_interval(days => $1) RETURNING 1`,
      [retentionDays],
    );
    if (rows.length) this.logger.log(`purged ${rows.length} dedupe rows older than ${retentionDays} days`);
    return rows.length;
  }
}
