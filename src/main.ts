import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { envOrExit } from './config/env';
import type * as AdminKeyModule from './auth/admin-key';
import type * as BootstrapModule from './bootstrap';
import type { EmbeddedPostgresHandle } from './database/embedded-postgres';
import type * as EmbeddedModule from './database/embedded-postgres';
import type * as OpenDatabaseModule from './database/open-database';

/** Longer than Apollo's 10 s drain grace plus closing the pool and PostgreSQL. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Loads embedded-postgres without the signal handlers its package installs on
 * import (async-exit-hook): on SIGTERM/SIGINT/SIGHUP they stop PostgreSQL at
 * once, under requests still in flight, and exit 128+n. The graceful shutdown
 * below stops it last, in order, instead.
 */
function loadEmbeddedPostgres(): typeof EmbeddedModule {
  const before = new Map(SHUTDOWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('./database/embedded-postgres') as typeof EmbeddedModule;
  for (const s of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(s)) if (!before.get(s)!.has(listener)) process.removeListener(s, listener);
  }
  return mod;
}

async function main(): Promise<void> {
  const env = envOrExit(1);
  // Nest, TypeORM and PostgreSQL are loaded only once the configuration is
  // known good, so that a bad one answers at once.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { openDatabase } = require('./database/open-database') as typeof OpenDatabaseModule;
  const { createApp, startDraining } = require('./bootstrap') as typeof BootstrapModule;
  const { AdminKey } = require('./auth/admin-key') as typeof AdminKeyModule;
  /* eslint-enable @typescript-eslint/no-require-imports */

  let embedded: EmbeddedPostgresHandle | undefined;
  let app: INestApplication | undefined;
  let closing = false;
  /**
   * Graceful stop: new requests are turned away (SERVER_BUSY), those in flight
   * finish (Apollo's drain waits for them, up to 10 s), then the pool closes
   * (TypeORM's shutdown hook) and the embedded PostgreSQL stops. Installed
   * before anything starts, so a signal during start-up stops what has started.
   */
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: finishing requests in flight, then stopping`);
    // Never hang: a stop that cannot finish in time exits non-zero.
    setTimeout(() => {
      console.error(`${signal}: shutdown did not finish in ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    try {
      if (app) {
        startDraining(app);
        await app.close();
      }
      await embedded?.stop();
    } catch (err) {
      console.error(`${signal}: shutdown failed:`, err instanceof Error ? err.message : err);
      process.exit(1);
    }
    console.log(`${signal}: stopped`);
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void shutdown(signal));

  const db = await openDatabase(env, (opts) => loadEmbeddedPostgres().startEmbeddedPostgres(opts));
  embedded = db.embedded;
  const { applied } = db;
  app = await createApp(db.url);

  await app.listen(env.PORT);
  const port = (app.getHttpServer().address() as { port: number }).port;
  const base = `http://localhost:${port}`;
  console.log(`Database: ${embedded ? `embedded PostgreSQL in ${env.DATA_DIR}` : 'DATABASE_URL'}; migrations applied now: ${applied.length ? applied.join(', ') : 'none'}`);
  const admin = AdminKey.fromEnv(env);
  if (admin.generated) console.log(`Admin API key (development; kept in ${env.DATA_DIR}/admin.key): ${admin.value}`);
  // Last, so that a watcher of the output knows everything above is printed.
  console.log(`Ledger ready: GraphQL at ${base}/graphql${env.NODE_ENV === 'production' ? '' : ' (Apollo Sandbox)'}, health at ${base}/health`);
}

main().catch((err) => {
  console.error('Start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
