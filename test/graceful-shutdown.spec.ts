import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from './support/database';
import { fundedAccount, ledgerBreaks, orderNo, PAY } from './support/ledger';
import { GqlResult, startService } from './support/service';

/**
 * SIGTERM: the service stops taking requests, finishes those in flight,
 * closes its pool and exits 0. Every answer a client got is true of the ledger.
 */
describe('graceful shutdown', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    expect(await ledgerBreaks(db.pool)).toEqual([]);
    await db?.drop();
  });

  it('SIGTERM under a stream of pays: answered pays are in the ledger, refused ones are not, exit 0', async () => {
    const svc = await startService(db.url);
    const appId = 701;
    await fundedAccount(svc, appId, 10_000_000);
    const orders = Array.from({ length: 120 }, (_, i) => ({ orderNo: orderNo('term'), appId, amount: 10 + i }));

    const answers: (GqlResult | null)[] = new Array(orders.length).fill(null);
    let next = 0;
    let acks = 0;
    let exited: Promise<number | null> | undefined;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < orders.length) {
          const i = next++;
          try {
            answers[i] = await svc.gql(PAY, { input: orders[i] });
          } catch {
            answers[i] = null; // connection refused or closed: no answer
          }
          if (answers[i]?.data && ++acks === 30) exited = svc.stop('SIGTERM');
        }
      }),
    );
    expect(exited).toBeDefined();
    expect(await exited).toBe(0);
    expect(svc.output.join('')).toMatch(/SIGTERM: stopped/);

    const { rows } = await db.pool.query(
      `SELECT order_no, id::text AS id FROM bill WHERE app_id = $1 AND channel = 'PAY'`,
      [appId],
    );
    const billOf = new Map(rows.map((r) => [r.order_no as string, r.id as string]));
    let answered = 0;
    let refused = 0;
    orders.forEach((o, i) => {
      const a = answers[i];
      if (a?.data) {
        answered++;
        expect(billOf.get(o.orderNo)).toBe(a.data.pay.bill.id);
      } else if (a?.errors) {
        // Turned away while draining: retryable, and nothing was applied.
        refused++;
        expect(a.errors[0].extensions).toMatchObject({ code: 'SERVER_BUSY', retCode: -1 });
        expect(billOf.has(o.orderNo)).toBe(false);
      }
    });
    expect(answered).toBeGreaterThanOrEqual(30);
    console.log(
      `SIGTERM after 30 acknowledgements: ${answered} answered, ${refused} refused (SERVER_BUSY), ${orders.length - answered - refused} unanswered`,
    );
  });

  it('with the embedded PostgreSQL: SIGTERM stops it too, and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-embedded-'));
    try {
      const svc = await startService('', { DATABASE_URL: '', DATA_DIR: dataDir });
      await fundedAccount(svc, 702, 500);
      const pidFile = join(dataDir, 'pg', 'postmaster.pid');
      const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      expect(alive(postmaster)).toBe(true);
      expect(await svc.stop('SIGTERM')).toBe(0);
      expect(alive(postmaster)).toBe(false);
      expect(existsSync(pidFile)).toBe(false); // a clean shutdown removes it
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
