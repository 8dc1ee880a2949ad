import { PrivatePostgres } from '../support/private-postgres';
import { ADMIN_KEY, Service, startService } from '../support/service';
import { Answer, Violation } from './judge';
import { Window } from './model';

/**
 * The service's settings in a model run: short job period and lease wait, so expiry and leases happen within a run;
 * one money statement in flight per instance, so that a burst's commands of several accounts are group-committed.
 */
export const MODEL_ENV = {
  BATCH_STATEMENTS: '1',
  HOLD_EXPIRY_INTERVAL_MS: '200',
  APPLOCK_WAIT_MS: '150',
  IDEMPOTENCY_WAIT_MS: '3000',
  SETTLEMENT_CRON: 'off',
};

/** How long one request may keep failing retryably before the run fails. */
const DEFINITE_WITHIN_MS = 45_000;

export interface Sent {
  answer: Answer;
  /** From the first attempt's sending to the definite answer: when the server may have acted. */
  w: Window;
  /** An earlier attempt may have taken effect (its answer was lost or was a system error). */
  flex: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two service instances on one database of a private PostgreSQL, and the
 * faults: SIGKILL of an instance (restarted at once), PostgreSQL stopped
 * with `-m immediate` and started again, and a client that drops an answer.
 * Requests are retried with the same input until an answer is definite
 * (SPEC §7: negative retCodes, REQUEST_IN_PROGRESS and lost answers are
 * retryable), going to the other instance while one is down.
 */
export class Cluster {
  private readonly instances: (Service | null)[] = [null, null];
  private readonly restarting = new Map<number, Promise<void>>();
  readonly outputs: string[][] = [];
  faults = { kills: 0, pgCrashes: 0, drops: 0, retries: 0, why: {} as Record<string, number> };

  constructor(
    readonly pg: PrivatePostgres,
    readonly dbUrl: string,
  ) {}

  async start(): Promise<void> {
    const [a, b] = await Promise.all([startService(this.dbUrl, MODEL_ENV), startService(this.dbUrl, MODEL_ENV)]);
    this.instances[0] = a;
    this.instances[1] = b;
    this.outputs.push(a.output, b.output);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.restarting.values()]);
    await Promise.all(this.instances.map((s) => (s ? s.stop() : Promise.resolve(null))));
  }

  /** SIGKILL an instance; it is started again in the background (on a new port). */
  kill(i: number): void {
    const victim = this.instances[i];
    // Never both down at once: the run goes on through the other instance.
    if (!victim || !this.instances[1 - i]) return;
    this.faults.kills++;
    this.instances[i] = null;
    victim.proc.kill('SIGKILL');
    this.restarting.set(
      i,
      victim.stop().then(async () => {
        // PostgreSQL may be down (a crash fault) while it starts: try again until it serves.
        for (let attempt = 1; ; attempt++) {
          try {
            const s = await startService(this.dbUrl, MODEL_ENV);
            this.outputs.push(s.output);
            this.instances[i] = s;
            this.restarting.delete(i);
            return;
          } catch (err) {
            if (attempt >= 5) throw err;
            await sleep(1_000);
          }
        }
      }),
    );
  }

  /** PostgreSQL stopped at once (every backend killed, no checkpoint) and started again. */
  async crashPostgres(): Promise<void> {
    this.faults.pgCrashes++;
    await this.pg.crash();
    await this.pg.start();
  }

  /** Which instances are up, for a failure report. */
  describe(): string {
    const state = (s: Service | null) =>
      s ? `pid ${s.proc.pid} exit ${s.proc.exitCode ?? s.proc.signalCode ?? 'running'} at ${s.url}` : 'down';
    return `${this.instances.map(state).join('; ')}; restarting ${[...this.restarting.keys()].join(',') || 'none'}`;
  }

  /** Waits for restarts under way. */
  async settle(): Promise<void> {
    await Promise.all(this.restarting.values());
  }

  private async instance(via: number): Promise<Service> {
    for (;;) {
      const s = this.instances[via] ?? this.instances[1 - via];
      if (s) return s;
      await Promise.race(this.restarting.values());
    }
  }

  /** One attempt: the GraphQL body, or null when no answer came (connection lost, or dropped by us). */
  async raw(via: number, query: string, variables: Record<string, unknown>, dropAfterMs?: number): Promise<any> {
    const s = await this.instance(via);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), dropAfterMs ?? 60_000);
    try {
      const res = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ query, variables }),
        signal: ac.signal,
      });
      return await res.json();
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One answer, retried only when none came (bad input must never answer a negative retCode). */
  async once(via: number, query: string, variables: Record<string, unknown>): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const body = await this.raw((via + attempt) % 2, query, variables);
      if (body) return body.errors?.[0] ? { error: body.errors[0] } : { data: body.data };
      if (attempt > 50) throw new Violation('no answer after 50 attempts');
      await sleep(100);
    }
  }

  /**
   * Sends until the answer is definite: data, or an error other than a
   * system error (negative retCode) or REQUEST_IN_PROGRESS. The first
   * attempt's answer is dropped when `dropAfterMs` is given.
   */
  async definite(via: number, query: string, variables: Record<string, unknown>, dropAfterMs?: number): Promise<Sent> {
    const sent = Date.now();
    let flex = false;
    for (let attempt = 0; ; attempt++) {
      const drop = attempt === 0 ? dropAfterMs : undefined;
      if (drop !== undefined) this.faults.drops++;
      const body = await this.raw((via + attempt) % 2, query, variables, drop);
      const err = body?.errors?.[0];
      const retryable =
        body === null ||
        drop !== undefined ||
        (err && (err.extensions?.retCode < 0 || err.extensions?.code === 'REQUEST_IN_PROGRESS'));
      if (!retryable) {
        const answer: Answer = err ? { error: err } : { data: body.data };
        return { answer, w: { sent, recv: Date.now() }, flex };
      }
      flex = true;
      this.faults.retries++;
      const why = drop !== undefined ? 'dropped' : body === null ? 'no answer' : err.extensions.code;
      this.faults.why[why] = (this.faults.why[why] ?? 0) + 1;
      if (Date.now() - sent > DEFINITE_WITHIN_MS) {
        throw new Violation(`no definite answer in ${DEFINITE_WITHIN_MS} ms; last: ${JSON.stringify(body)}`);
      }
      await sleep(Math.min(20 * 2 ** Math.min(attempt, 5), 500));
    }
  }
}
