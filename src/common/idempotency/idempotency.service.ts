import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { LedgerEnv } from '../../config/env';
import { sqlRows } from '../../database/sql';
import { isRetryableConflict, sqlState, SQLSTATE } from '../errors/db-errors';
import { ErrorCode } from '../errors/error-codes';
import { LedgerError } from '../errors/ledger.error';
import { exponential, retry } from '../retry';
import { CommandBatcher } from './command-batcher';
import { Answered, LedgerCommand, revive, StoredAnswer } from './command';

/** Raised by ledger_run when its key was taken by a request it could not see before (issueCoupon's duplicates): retry, it replays. */
const KEY_TAKEN = 'LG002';

/** Whole-statement conflicts (deadlock, a key taken meanwhile) are run again at most this many times. */
const MAX_CONFLICT_RETRIES = 3;

/** Another owner's AppLock lease was still there: nothing was written; run again while the wait lasts. */
class LeaseHeld extends Error {}

export interface RunOptions {
  /** Run in the caller's transaction (settlement's) instead of as a statement of its own. */
  tx?: EntityManager;
}

/**
 * Exactly-once effects on (appId, orderNo), SPEC §6, and the one way a
 * command reaches the ledger: its record goes to PostgreSQL as ONE statement
 * (`ledger_run`, grouped with others by CommandBatcher), which looks the key
 * up, waits for a lease, locks the account, decides, writes the bills and stores
 * the answer, all in one transaction. Here only what cannot be in it: waiting
 * out the rest of APPLOCK_WAIT_MS when a lease was taken again just as it
 * ended, retrying a deadlocked statement, and reviving the answer.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);
  private readonly leaseWaitMs: number;
  private readonly batcher: CommandBatcher;

  constructor(
    config: ConfigService<LedgerEnv, true>,
    private readonly dataSource: DataSource,
  ) {
    this.leaseWaitMs = config.get('APPLOCK_WAIT_MS');
    this.batcher = new CommandBatcher((dataSource.driver as PostgresDriver).master as Pool, {
      batching: config.get('BATCHING'),
      maxStatements: config.get('BATCH_STATEMENTS'),
    });
  }

  async run<T>(command: LedgerCommand, opts: RunOptions = {}): Promise<Answered<T>> {
    const deadline = Date.now() + (command.leaseWaitMs ?? this.leaseWaitMs);
    let conflicts = 0;
    try {
      // Two reasons to run the statement again, each bounded: a whole-statement conflict (deadlock, a key
      // changed under us; not inside the caller's transaction, which it aborted), and another owner's lease
      // still there after ledger_run waited for it, or taken again just as it was released (until
      // APPLOCK_WAIT_MS has passed). Everything else is an answer or a fault.
      const answer = await retry(() => this.once(command, opts, deadline), {
        delays: exponential(5, 100),
        jitter: true,
        retryOn: (err) => {
          if (err instanceof LeaseHeld) return !opts.tx && Date.now() < deadline;
          const conflict = sqlState(err) === KEY_TAKEN || isRetryableConflict(err);
          return conflict && !opts.tx && ++conflicts <= MAX_CONFLICT_RETRIES;
        },
      });
      return revive<T>(answer);
    } catch (err) {
      if (err instanceof LeaseHeld) throw new LedgerError(ErrorCode.ACCOUNT_LOCKED, err.message);
      if (sqlState(err) === SQLSTATE.LOCK_NOT_AVAILABLE) {
        // Waited past lock_timeout for the account row or the key: a request with this orderNo (or, rarely,
        // a long one on this account) is still running. Nothing was written; a retry is safe.
        throw new LedgerError(ErrorCode.REQUEST_IN_PROGRESS, 'the same orderNo is still being processed; retry');
      }
      throw err;
    }
  }

  /** One run of the command's statement; a lease still held is thrown as LeaseHeld (nothing was written). */
  private async once(cmd: LedgerCommand, opts: RunOptions, deadline: number): Promise<StoredAnswer> {
    // Each run waits for a lease only for what is left of the wait (APPLOCK_WAIT_MS unless the command says).
    const left = { ...cmd, leaseWaitMs: Math.max(0, deadline - Date.now()) };
    const answer = opts.tx ? await this.inTransaction(opts.tx, left) : await this.batcher.run(left);
    if (answer.wait !== undefined) throw new LeaseHeld(answer.wait);
    return answer;
  }

  private async inTransaction(tx: EntityManager, cmd: LedgerCommand): Promise<StoredAnswer> {
    const rows = await sqlRows<{ r: StoredAnswer }>(tx, 'SELECT ledger_run($1) AS r', [JSON.stringify(cmd)]);
    return rows[0].r;
  }

  /** Drops dedupe rows older than the retention; the bill table's unique order key still guards them. */
  async purge(retentionDays: number): Promise<number> {
    const rows = await sqlRows(
      this.dataSource.manager,
      `DELETE FROM idempotency_key WHERE created_at < now() - make_interval(days => $1) RETURNING 1`,
      [retentionDays],
    );
    if (rows.length) this.logger.log(`purged ${rows.length} dedupe rows older than ${retentionDays} days`);
    return rows.length;
  }
}
