import type { Pool } from 'pg';
import { ClaimKey, OneStatementResult, TAKE_TRANSACTION_PATH } from '../common/idempotency/idempotency.service';
import type { Posting } from './ledger.service';

interface Member {
  key: ClaimKey;
  posting: Posting;
  resolve: (result: OneStatementResult) => void;
  reject: (err: unknown) => void;
}

/**
 * At most this many postings in one batch statement: each member claims its
 * key in a subtransaction, and PostgreSQL caches 64 subtransactions per
 * transaction before every snapshot gets slower.
 */
const MAX_BATCH = 32;

/** The arguments of the ledger_apply function (and the tail of ledger_post_once's). */
export function postingArgs(p: Posting): unknown[] {
  return [
    p.appId,
    p.orderNo,
    p.amount,
    p.heldDelta ?? 0,
    p.refuseIfFrozen,
    p.billId ?? null,
    p.channel,
    p.info ?? null,
    p.user,
    p.priceInfo === undefined ? null : JSON.stringify(p.priceInfo),
    p.srcIp,
    p.leaseToken ?? null,
  ];
}

/**
 * Sends one-statement postings (`ledger_post_once`), and groups those on one
 * account: while a statement for an account is in flight, further postings
 * on it wait here and then go together as the next statement
 * (`ledger_post_batch`), so a hot account takes one row lock and one commit
 * per batch instead of per posting. A posting on an idle account goes at
 * once, alone.
 *
 * Nothing here decides correctness: keys, balances and locks are all in
 * PostgreSQL, and postings from other instances on the same account simply
 * wait for its row lock. This only saves round trips and commits. When a
 * batch fails as a whole (one member's key busy past lock_timeout, a
 * deadlock, a lost connection), every member takes the transaction path, where
 * each gets its own answer.
 */
export class PostingBatcher {
  /** Accounts with a statement in flight, and the postings queued behind it. */
  private readonly waiting = new Map<number, Member[]>();

  constructor(private readonly pool: Pool) {}

  post(key: ClaimKey, posting: Posting): Promise<OneStatementResult> {
    return new Promise((resolve, reject) => {
      const member = { key, posting, resolve, reject };
      const queue = this.waiting.get(posting.appId);
      if (queue) {
        queue.push(member);
        return;
      }
      this.waiting.set(posting.appId, []);
      void this.send(posting.appId, [member]);
    });
  }

  private async send(appId: number, members: Member[]): Promise<void> {
    if (members.length === 1) {
      await this.once(members[0]).then(members[0].resolve, members[0].reject);
    } else {
      try {
        const answers = await this.batch(members);
        members.forEach((m, i) => m.resolve(answers[i]));
      } catch (err: unknown) {
        const fallback = Object.assign(new Error('the batch failed; each posting takes the transaction path'), {
          code: TAKE_TRANSACTION_PATH,
          cause: err,
        });
        for (const m of members) m.reject(fallback);
      }
    }
    const queue = this.waiting.get(appId)!;
    if (!queue.length) {
      this.waiting.delete(appId);
      return;
    }
    void this.send(appId, queue.splice(0, MAX_BATCH));
  }

  private async once(m: Member): Promise<OneStatementResult> {
    const p = m.posting;
    const { rows } = await this.pool.query<{ r: OneStatementResult }>({
      name: 'ledger_post_once',
      text: 'SELECT ledger_post_once($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) AS r',
      values: [m.key.operation, m.key.fingerprint, ...postingArgs(p)],
    });
    return rows[0].r;
  }

  private async batch(members: Member[]): Promise<OneStatementResult[]> {
    const json = members.map(({ key, posting: p }) => ({
      operation: key.operation,
      fingerprint: key.fingerprint,
      appId: p.appId,
      orderNo: p.orderNo,
      amount: p.amount,
      heldDelta: p.heldDelta ?? 0,
      refuseIfFrozen: p.refuseIfFrozen,
      billId: p.billId ?? null,
      channel: p.channel,
      info: p.info ?? null,
      user: p.user,
      priceInfo: p.priceInfo ?? null,
      srcIp: p.srcIp,
      leaseToken: p.leaseToken ?? null,
    }));
    const { rows } = await this.pool.query<{ r: OneStatementResult[] }>({
      name: 'ledger_post_batch',
      text: 'SELECT ledger_post_batch($1) AS r',
      values: [JSON.stringify(json)],
    });
    return rows[0].r;
  }
}
