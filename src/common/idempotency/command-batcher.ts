import type { Pool } from 'pg';
import type { LedgerCommand, StoredAnswer } from './command';

interface Member {
  cmd: LedgerCommand;
  resolve: (answer: StoredAnswer) => void;
  reject: (err: unknown) => void;
}

/**
 * At most this many commands in one batch statement: each member runs in a
 * subtransaction, and PostgreSQL caches 64 subtransactions per transaction
 * before every snapshot gets slower.
 */
const MAX_BATCH = 32;

/**
 * Sends commands to PostgreSQL (`ledger_run`), and groups those of one
 * account: while a statement for an account is in flight, further commands
 * on it, of any kind, wait here and then go together as the next statement
 * (`ledger_run_batch`), so a hot account takes one row lock and one commit
 * per batch instead of per command. A command on an idle account goes at
 * once, alone.
 *
 * Nothing here decides correctness: keys, balances and locks are all in
 * PostgreSQL, and commands from other instances on the same account simply
 * wait for its row lock. This only saves round trips and commits. The batch
 * statement takes members in app_id order, so batches spanning accounts (a
 * later step) cannot deadlock each other. When a batch fails as a whole (one
 * member's key busy past lock_timeout, a deadlock, a lost connection), each
 * member is sent again alone and gets its own answer.
 */
export class CommandBatcher {
  /** Accounts with a statement in flight, and the commands queued behind it. */
  private readonly waiting = new Map<number, Member[]>();

  constructor(private readonly pool: Pool) {}

  run(cmd: LedgerCommand): Promise<StoredAnswer> {
    return new Promise((resolve, reject) => {
      const member = { cmd, resolve, reject };
      const queue = this.waiting.get(cmd.appId);
      if (queue) {
        queue.push(member);
        return;
      }
      this.waiting.set(cmd.appId, []);
      void this.send(cmd.appId, [member]);
    });
  }

  private async send(appId: number, members: Member[]): Promise<void> {
    if (members.length === 1) {
      await this.once(members[0].cmd).then(members[0].resolve, members[0].reject);
    } else {
      try {
        const answers = await this.batch(members);
        members.forEach((m, i) => m.resolve(answers[i]));
      } catch {
        for (const m of members) await this.once(m.cmd).then(m.resolve, m.reject);
      }
    }
    const queue = this.waiting.get(appId)!;
    if (!queue.length) {
      this.waiting.delete(appId);
      return;
    }
    void this.send(appId, queue.splice(0, MAX_BATCH));
  }

  private async once(cmd: LedgerCommand): Promise<StoredAnswer> {
    const { rows } = await this.pool.query<{ r: StoredAnswer }>({
      name: 'ledger_run',
      text: 'SELECT ledger_run($1) AS r',
      values: [JSON.stringify(cmd)],
    });
    return rows[0].r;
  }

  private async batch(members: Member[]): Promise<StoredAnswer[]> {
    const { rows } = await this.pool.query<{ r: StoredAnswer[] }>({
      name: 'ledger_run_batch',
      text: 'SELECT ledger_run_batch($1) AS r',
      values: [JSON.stringify(members.map((m) => m.cmd))],
    });
    return rows[0].r;
  }
}
