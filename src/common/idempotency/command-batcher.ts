import type { Pool } from 'pg';
import type { LedgerCommand, StoredAnswer } from './command';

/**
 * How commands are grouped into statements (the `BATCHING` setting):
 * - `accounts`: group commit across accounts (the default);
 * - `account`: only commands of one account go together (a Citus deployment, where a batch spanning accounts
 *   would be a multi-shard transaction);
 * - `off`: every command is its own statement.
 */
export type Batching = 'accounts' | 'account' | 'off';

export interface BatcherOptions {
  batching: Batching;
  /** With `accounts`: how many statements this instance keeps in flight at once (`BATCH_STATEMENTS`). */
  maxStatements: number;
}

/**
 * A statement in flight longer than this no longer holds one of the `maxStatements` slots: it is waiting for
 * something (a row another transaction holds, up to lock_timeout), and the commands of other accounts go in a new
 * statement instead of waiting behind it. Statements took 4 ms on average under the bench's load
 * (docs/benchmark.md), so this is far beyond a normal one, and short beside lock_timeout (5 s). Its accounts stay
 * busy until it ends.
 */
export const STALLED_AFTER_MS = 100;

interface Member {
  cmd: LedgerCommand;
  resolve: (answer: StoredAnswer) => void;
  reject: (err: unknown) => void;
}

/**
 * At most this many commands in one statement: it bounds how long a batch
 * holds its row locks, and what one member's conflict sends again alone.
 */
export const MAX_BATCH = 32;

/**
 * Sends commands to PostgreSQL (`ledger_run`, or `ledger_run_batch` for
 * several), and groups them so that many take one statement and one commit.
 *
 * Group commit across accounts (`accounts`): at most `maxStatements`
 * statements are in flight; a command that finds a free slot goes at once,
 * alone. Commands that arrive while every slot is busy wait here, and the
 * first slot that frees takes up to MAX_BATCH of them, of any accounts, as
 * the next statement: a batch never waits for more members, and a waiting
 * command goes with the next slot to free (oldest first; only when more than
 * MAX_BATCH wait per slot does one wait longer). An account has at most one statement
 * in flight: its further commands wait for it and go together in the next
 * (a hot account takes one row lock and one commit per batch).
 *
 * A statement still in flight after STALLED_AFTER_MS stops holding its slot
 * (its accounts stay busy): one member waiting for a row lock never holds
 * up the other accounts' commands for longer than that.
 *
 * Nothing here decides correctness: keys, balances and locks are all in
 * PostgreSQL, and commands from other instances on the same account simply
 * wait for its row lock. Each member keeps its own outcome: ledger_run_batch
 * answers every member on its own (a refusal concerns that member alone) and
 * takes the members' account rows in app_id order, so that batches (of this
 * instance or another) cannot deadlock each other. A member never waits for
 * another owner's AppLock lease inside a batch of several accounts (that would
 * hold the others' locks); it answers `wait` at once and IdempotencyService
 * sends it again. When a batch fails as a whole (one member's key busy past
 * lock_timeout, a deadlock, a lost connection), each member is sent again
 * alone and gets its own answer. issueCoupon always goes alone: it locks the
 * coupon template every app shares, outside the app_id order.
 */
export class CommandBatcher {
  /** Commands not yet sent, in arrival order. */
  private readonly queue: Member[] = [];
  /** Accounts with a statement in flight. */
  private readonly busy = new Set<number>();
  /** Statements in flight that hold a slot (not yet stalled). */
  private inFlight = 0;
  private readonly maxStatements: number;
  private readonly acrossAccounts: boolean;

  constructor(
    private readonly pool: Pool,
    private readonly opts: BatcherOptions,
  ) {
    this.acrossAccounts = opts.batching === 'accounts';
    // Per account (or off), every account is its own line: only the pool bounds the statements in flight.
    this.maxStatements = this.acrossAccounts ? opts.maxStatements : Infinity;
  }

  run(cmd: LedgerCommand): Promise<StoredAnswer> {
    if (this.opts.batching === 'off') return this.once(cmd);
    return new Promise((resolve, reject) => {
      this.queue.push({ cmd, resolve, reject });
      this.pump();
    });
  }

  /** Sends what can go: while a slot is free, the next batch of waiting commands whose accounts are idle. */
  private pump(): void {
    while (this.inFlight < this.maxStatements && this.queue.length) {
      const members = this.nextBatch();
      if (!members.length) return;
      const accounts = new Set(members.map((m) => m.cmd.appId));
      accounts.forEach((a) => this.busy.add(a));
      this.inFlight++;
      let holdsSlot = true;
      const freeSlot = () => {
        if (holdsSlot) this.inFlight--;
        holdsSlot = false;
      };
      const stalled = setTimeout(() => {
        freeSlot();
        this.pump();
      }, STALLED_AFTER_MS);
      void this.send(members, accounts.size > 1).finally(() => {
        clearTimeout(stalled);
        freeSlot();
        accounts.forEach((a) => this.busy.delete(a));
        this.pump();
      });
    }
  }

  /**
   * Takes the waiting commands of idle accounts, oldest first, up to MAX_BATCH: of one account (the first
   * idle one's) unless batching across accounts; an issueCoupon only alone.
   */
  private nextBatch(): Member[] {
    const taken: Member[] = [];
    let account: number | undefined;
    for (let i = 0; i < this.queue.length && taken.length < MAX_BATCH;) {
      const m = this.queue[i];
      const alone = m.cmd.op === 'issueCoupon';
      const fits =
        !this.busy.has(m.cmd.appId) &&
        (this.acrossAccounts || account === undefined || account === m.cmd.appId) &&
        (!alone || taken.length === 0);
      if (!fits) {
        i++;
        continue;
      }
      taken.push(...this.queue.splice(i, 1));
      account ??= m.cmd.appId;
      if (alone) break;
    }
    return taken;
  }

  private async send(members: Member[], acrossAccounts: boolean): Promise<void> {
    if (members.length === 1) {
      await this.once(members[0].cmd).then(members[0].resolve, members[0].reject);
      return;
    }
    try {
      // Across accounts no member waits for a lease in the statement: it would hold the others' row locks.
      const cmds = members.map((m) => (acrossAccounts ? { ...m.cmd, leaseWaitMs: 0 } : m.cmd));
      const answers = await this.batch(cmds);
      members.forEach((m, i) => m.resolve(answers[i]));
    } catch {
      await Promise.all(members.map((m) => this.once(m.cmd).then(m.resolve, m.reject)));
    }
  }

  private async once(cmd: LedgerCommand): Promise<StoredAnswer> {
    const { rows } = await this.pool.query<{ r: StoredAnswer }>({
      name: 'ledger_run',
      text: 'SELECT ledger_run($1) AS r',
      values: [JSON.stringify(cmd)],
    });
    return rows[0].r;
  }

  private async batch(cmds: LedgerCommand[]): Promise<StoredAnswer[]> {
    const { rows } = await this.pool.query<{ r: StoredAnswer[] }>({
      name: 'ledger_run_batch',
      text: 'SELECT ledger_run_batch($1) AS r',
      values: [JSON.stringify(cmds)],
    });
    return rows[0].r;
  }
}
