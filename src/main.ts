import 'reflect-metadata';
import { AdminKey } from './auth/admin-key';
import { createApp } from './bootstrap';
import { ConfigError, LedgerEnv, validateEnv } from './config/env';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { migrate } from './database/migrate';

async function main(): Promise<void> {
  let env: LedgerEnv;
  try {
    env = validateEnv(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }

  let embedded: EmbeddedPostgresHandle | undefined;
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, database: 'ledger' });
    url = embedded.url;
  }
  const applied = await migrate(url);

  const app = await createApp(url);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: finishing requests in flight, then stopping`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen(env.PORT);
  const port = (app.getHttpServer().address() as { port: number }).port;
  const base = `http://localhost:${port}`;
  console.log(`Ledger ready: GraphQL at ${base}/graphql${env.NODE_ENV === 'production' ? '' : ' (Apollo Sandbox)'}, health at ${base}/health`);
  console.log(`Database: ${embedded ? `embedded PostgreSQL in ${env.DATA_DIR}` : 'DATABASE_URL'}; migrations applied now: ${applied.length ? applied.join(', ') : 'none'}`);
  const admin = AdminKey.fromEnv(env);
  if (admin.generated) console.log(`Admin API key (development; kept in ${env.DATA_DIR}/admin.key): ${admin.value}`);
}

main().catch((err) => {
  console.error('Start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
