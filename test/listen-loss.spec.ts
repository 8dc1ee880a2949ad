import { ok } from './support/ledger';
import { createTestDatabase, TestDatabase } from './support/database';
import { waitFor } from './support/events';
import { Service, startService } from './support/service';

/**
 * The event hub's LISTEN connection ended by the server (57P01: a terminated backend, or PostgreSQL stopping).
 * A pg Client then emits 'error' for the server's FATAL message and, unless it is being ended, a second 'error'
 * when the socket closes. The hub ends the client as soon as the first arrives (its `lost` promise), before the
 * close is handled, so the second never comes; this pins that, in the hardest timing: the service is paused
 * (SIGSTOP) while its backend is terminated, so that the message and the close are read together when it
 * resumes. Then it must still run and LISTEN again on a new connection (what wakes the feed and subscriptions).
 */
describe('the event hub losing its LISTEN connection', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = await startService(db.url);
  });

  afterAll(async () => {
    await svc?.stop();
    await db?.drop();
  });

  const listener = (pid: number) =>
    waitFor(`the LISTEN connection of ${pid}`, async () => {
      const { rows } = await db.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1 AND query LIKE 'LISTEN %'`,
        [`ledger/${pid}`],
      );
      return rows[0]?.pid;
    });

  it('survives the end of the connection read together with its error, and listens again', async () => {
    const pid = svc.proc.pid!;
    const backend = await listener(pid);
    process.kill(pid, 'SIGSTOP');
    try {
      await db.pool.query('SELECT pg_terminate_backend($1)', [backend]);
      await waitFor('the terminated backend to be gone', async () => {
        const { rows } = await db.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [backend]);
        return rows.length === 0;
      });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const again = await listener(pid);
    expect(again).not.toBe(backend);
    expect(svc.proc.exitCode).toBeNull();
    expect(ok(await svc.gql('{ __typename }')).__typename).toBe('Query');
    expect(svc.output.join('')).not.toMatch(/Unhandled 'error' event/);
  });
});
