import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';
import { envOrExit } from './config/env';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { openDatabase } from './database/open-database';

/**
 * `npm run cli -- <audit | reconcile | settle> ...`: the batch jobs, on the
 * same database as the service: DATABASE_URL, or the embedded PostgreSQL of
 * DATA_DIR (reused when the service is running; started, then stopped, when
 * not). Migrations are applied first, as at the service's start.
 * Exit codes: 0 done and clean, 1 a finding (audit break, reconciliation
 * difference, accounts left unsettled), 2 a failure (bad arguments, database).
 */
async function main(): Promise<void> {
  const env = envOrExit(2);
  const { url, embedded } = await openDatabase(env, startEmbeddedPostgres);
  try {
    await CommandFactory.run(CliModule.forRoot({ databaseUrl: url }), {
      logger: ['error', 'warn'],
      serviceErrorHandler: (err) => {
        console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 2;
      },
    });
  } finally {
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
