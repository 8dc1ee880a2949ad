import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, orderNo, RECHARGE } from './support/ledger';
import { startService } from './support/service';

/**
 * `npm start` with nothing configured: an embedded PostgreSQL in DATA_DIR, a
 * development admin key generated once, and a second start keeps everything.
 */
describe('start-up on the embedded PostgreSQL of DATA_DIR', () => {
  it('generates the admin key once, and a second start keeps the key and all data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-start-'));
    const env = { DATABASE_URL: '', DATA_DIR: dataDir, ADMIN_API_KEY: '', NODE_ENV: 'development' };
    try {
      const first = await startService('', env);
      const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
      expect(first.output.join('')).toContain(`Admin API key (development; kept in ${dataDir}/admin.key): ${key}`);
      expect(first.output.join('')).toMatch(/migrations applied now: Init\d+/);
      ok(await first.gql('mutation { openAccount(appId: 801) { appId } }', {}, key));
      const rc = ok(
        await first.gql(RECHARGE, { input: { orderNo: orderNo('keep'), appId: 801, amount: 4242 } }, key),
      ).recharge;
      expect(await first.stop('SIGTERM')).toBe(0);

      const second = await startService('', env);
      expect(second.output.join('')).toContain('migrations applied now: none');
      expect(readFileSync(join(dataDir, 'admin.key'), 'utf8').trim()).toBe(key);
      const acc = ok(await second.gql('{ account(appId: 801) { balance version } }', {}, key)).account;
      expect(acc).toEqual({ balance: 4242, version: 1 });
      const bills = ok(await second.gql('{ bills(appId: 801) { edges { node { billId amount } } } }', {}, key)).bills
        .edges;
      expect(bills.map((e: { node: unknown }) => e.node)).toEqual([{ billId: rc.bill.billId, amount: 4242 }]);
      expect(await second.stop('SIGTERM')).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a start that fails after starting PostgreSQL (its port taken) stops that PostgreSQL before it exits', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-start-'));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const env = { DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port) };
      await expect(startService('', env)).rejects.toThrow(/service exited \(1\)[\s\S]*EADDRINUSE/);
      // PostgreSQL removes its pid file when it stops.
      expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      taken.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
