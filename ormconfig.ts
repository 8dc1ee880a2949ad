import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { validateEnv } from './src/config/env';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * The TypeORM DataSource for the migration CLI (`npm run typeorm -- migration:run`).
 * Same validated config and options as the app. Without DATABASE_URL it
 * targets the embedded PostgreSQL of DATA_DIR, which must be running (`npm start`).
 */
const env = validateEnv(process.env);
function embeddedUrl(): string {
  const state = join(resolve(env.DATA_DIR), 'embedded.json');
  if (!existsSync(state)) throw new Error(`DATABASE_URL is unset and ${state} does not exist: run npm start once`);
  const { port, password } = JSON.parse(readFileSync(state, 'utf8')) as { port: number; password: string };
  return `postgres://postgres:${password}@127.0.0.1:${port}/ledger`;
}

export default new DataSource(dataSourceOptions(env.DATABASE_URL ?? embeddedUrl()));
