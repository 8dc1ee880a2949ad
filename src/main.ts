import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import cluster, { Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { envOrExit, LedgerEnv } from './config/env';
import type * as AdminKeyModule from './auth/admin-key';
import type * as BootstrapModule from './bootstrap';
import type { EmbeddedPostgresHandle } from './database/embedded-postgres';
import type * as EmbeddedModule from './database/embedded-postgres';
import type * as OpenDatabaseModule from './database/open-database';

/** Longer than Apollo's 10 s drain grace plus closing the pool and PostgreSQL. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Loads our embedded PostgreSQL runner only where it is used (the process that
 * opens the database). It installs no signal handlers: the graceful shutdown
 * below stops PostgreSQL last, in order.
 */
function loadEmbeddedPostgres(): typeof EmbeddedModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./database/embedded-postgres') as typeof EmbeddedModule;
}

/**
 * The one shutdown sequence, for a single process, the cluster primary and each
 * worker: on the first SIGINT/SIGTERM/SIGHUP run `stop` (later signals are
 * ignored), exit 0 when it is done, 1 if it fails or takes longer than
 * SHUTDOWN_TIMEOUT_MS (a stop never hangs). Installed before anything starts, so
 * a signal during start-up stops what has started.
 *
 * What `stop` does: a service process turns new requests away (SERVER_BUSY),
 * lets those in flight finish (Apollo's drain waits for them, up to 10 s), closes
 * the pool (TypeORM's shutdown hook) and stops the embedded PostgreSQL if it
 * started one; the primary passes the signal to every worker, waits until all
 * have exited, then stops the embedded PostgreSQL.
 */
function onShutdown(what: string, stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: ${what}`);
    setTimeout(() => {
      console.error(`${signal}: shutdown did not finish in ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    try {
      await stop(signal);
    } catch (err) {
      console.error(`${signal}: shutdown failed:`, err instanceof Error ? err.message : err);
      process.exit(1);
    }
    console.log(`${signal}: stopped`);
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void shutdown(signal));
}

/** What a worker tells the primary once it listens. */
interface ReadyMessage {
  ledgerReady: { port: number };
}

/**
 * WORKERS > 1: this process starts the database (embedded PostgreSQL and
 * migrations, once), then forks that many service processes sharing the port
 * (node:cluster hands connections round-robin). The service keeps no state in
 * memory that correctness depends on (dedupe, locks and leases are in
 * PostgreSQL), so workers are simply more instances; per-instance settings
 * (DB_POOL_SIZE, RATE_LIMIT_PER_MINUTE) apply to each. A worker that dies is
 * replaced; a signal is passed on to every worker, which stop gracefully, and
 * the embedded PostgreSQL stops last.
 */
async function primary(env: LedgerEnv): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { openDatabase } = require('./database/open-database') as typeof OpenDatabaseModule;
  const { AdminKey } = require('./auth/admin-key') as typeof AdminKeyModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  let embedded: EmbeddedPostgresHandle | undefined;
  let closing = false;
  const exited = () => Object.values(cluster.workers ?? {}).every((w) => !w || w.isDead());
  onShutdown(`stopping ${env.WORKERS} workers`, async (signal) => {
    closing = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    while (!exited()) await new Promise((r) => setTimeout(r, 50));
    await embedded?.stop();
  });

  const db = await openDatabase(env, (opts) => loadEmbeddedPostgres().startEmbeddedPostgres(opts));
  embedded = db.embedded;
  const admin = AdminKey.fromEnv(env); // generated (if at all) once, before the workers read it

  // Workers use the database opened here; migrations are already applied.
  const fork = () => cluster.fork({ DATABASE_URL: db.url });
  const ready = new Set<number>();
  let announced = false;
  cluster.on('message', (worker: Worker, msg: Partial<ReadyMessage>) => {
    if (!msg?.ledgerReady) return;
    ready.add(worker.id);
    if (announced || ready.size < env.WORKERS) return;
    announced = true;
    announce(env, { embedded: !!embedded, applied: db.applied }, admin, msg.ledgerReady.port);
  });
  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (closing) return;
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(() => (closing ? undefined : fork()), 1000);
  });
  for (let i = 0; i < env.WORKERS; i++) fork();
}

/** What start-up prints once the service listens (once for all workers). */
function announce(
  env: LedgerEnv,
  db: { embedded: boolean; applied: string[] },
  admin: AdminKeyModule.AdminKey,
  port: number,
): void {
  const workers = env.WORKERS > 1 ? `; ${env.WORKERS} workers` : '';
  console.log(
    `Database: ${db.embedded ? `embedded PostgreSQL in ${env.DATA_DIR}` : 'DATABASE_URL'}; migrations applied now: ${db.applied.length ? db.applied.join(', ') : 'none'}${workers}`,
  );
  const base = `http://localhost:${port}`;
  if (admin.generated) console.log(`Admin API key (development; kept in ${env.DATA_DIR}/admin.key): ${admin.value}`);
  // Last, so that a watcher of the output knows everything above is printed.
  console.log(
    `Ledger ready: GraphQL at ${base}/graphql${env.NODE_ENV === 'production' ? '' : ' (Apollo Sandbox)'}, health at ${base}/health`,
  );
}

async function main(): Promise<void> {
  const env = envOrExit(1);
  if (env.WORKERS > 1 && cluster.isPrimary) return primary(env);
  // Nest, TypeORM and PostgreSQL are loaded only once the configuration is
  // known good, so that a bad one answers at once.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { openDatabase } = require('./database/open-database') as typeof OpenDatabaseModule;
  const { createApp, startDraining } = require('./bootstrap') as typeof BootstrapModule;
  const { AdminKey } = require('./auth/admin-key') as typeof AdminKeyModule;
  /* eslint-enable @typescript-eslint/no-require-imports */

  let embedded: EmbeddedPostgresHandle | undefined;
  let app: INestApplication | undefined;
  // A worker stops its app only; the primary stops PostgreSQL after every worker has gone.
  onShutdown('finishing requests in flight, then stopping', async () => {
    if (app) {
      startDraining(app);
      await app.close();
    }
    await embedded?.stop();
  });

  const db = await openDatabase(env, (opts) => loadEmbeddedPostgres().startEmbeddedPostgres(opts));
  embedded = db.embedded;
  const { applied } = db;
  try {
    app = await createApp(db.url);
    await app.listen(env.PORT);
  } catch (err) {
    // A failed start (the port taken, say) leaves no PostgreSQL of its own running for the next start to find.
    await app?.close();
    await embedded?.stop();
    throw err;
  }
  const port = ((app.getHttpServer() as Server).address() as { port: number }).port;
  if (cluster.isWorker) {
    process.send!({ ledgerReady: { port } } satisfies ReadyMessage);
    return;
  }
  announce(env, { embedded: !!embedded, applied }, AdminKey.fromEnv(env), port);
}

main().catch((err) => {
  console.error('Start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
