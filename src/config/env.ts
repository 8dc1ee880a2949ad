import { CronTime } from 'cron';

/**
 * The service's configuration, read from the environment and validated once.
 * Used by the Nest app (ConfigModule `validate`) and by `ormconfig.ts`, so the
 * app and the TypeORM CLI can never drift apart. A bad value throws one line
 * that names the variable.
 */
export interface LedgerEnv extends EventsEnv {
  NODE_ENV: 'development' | 'production' | 'test';
  PORT: number;
  DATABASE_URL?: string;
  DATA_DIR: string;
  ADMIN_API_KEY?: string;
  GATEWAY_SECRET?: string;
  GRAPHQL_INTROSPECTION: boolean;
  LEDGER_TIMEZONE: string;
  /** When the monthly settlement runs (cron syntax, in LEDGER_TIMEZONE); 'off' disables the job. */
  SETTLEMENT_CRON: string;
  RATE_LIMIT_PER_MINUTE: number;
  IDEMPOTENCY_RETENTION_DAYS: number;
  /** How long a mutation waits for the same orderNo still running elsewhere. */
  IDEMPOTENCY_WAIT_MS: number;
  /** How long a money mutation waits for an app's AppLock lease. */
  APPLOCK_WAIT_MS: number;
  /** How often each instance's hold expiry job runs; 0 turns it off (holds still expire lazily). */
  HOLD_EXPIRY_INTERVAL_MS: number;
  DB_POOL_SIZE: number;
  /** Service processes sharing the port (node:cluster); 1 runs in this process. */
  WORKERS: number;
  LOG_LEVEL: string;
}

export class ConfigError extends Error {}

/** A cron expression of 5 or 6 fields, checked by the `cron` package @nestjs/schedule runs on. */
function isValidCron(expr: string, tz: string): boolean {
  try {
    new CronTime(expr, tz);
    return true;
  } catch {
    return false;
  }
}

type Raw = Record<string, unknown>;

function str(raw: Raw, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function int(raw: Raw, name: string, dflt: number, min: number, max: number): number {
  const v = str(raw, name);
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${v}")`);
  }
  return Number(v);
}

function bool(raw: Raw, name: string, dflt: boolean): boolean {
  const v = str(raw, name);
  if (v === undefined) return dflt;
  if (!['true', 'false', '1', '0'].includes(v)) throw new ConfigError(`${name} must be true or false (got "${v}")`);
  return v === 'true' || v === '1';
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function validateEnv(raw: Raw): LedgerEnv {
  const nodeEnv = str(raw, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const databaseUrl = str(raw, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const adminApiKey = str(raw, 'ADMIN_API_KEY');
  if (nodeEnv === 'production' && adminApiKey === undefined) {
    throw new ConfigError('ADMIN_API_KEY is required when NODE_ENV=production');
  }
  if (adminApiKey !== undefined && adminApiKey.length < 16) {
    throw new ConfigError('ADMIN_API_KEY must be at least 16 characters');
  }
  const tz = str(raw, 'LEDGER_TIMEZONE') ?? 'UTC';
  if (!isValidTimeZone(tz)) throw new ConfigError(`LEDGER_TIMEZONE must be an IANA time zone (got "${tz}")`);
  const settlementCron = str(raw, 'SETTLEMENT_CRON') ?? '5 0 1 * *';
  if (settlementCron !== 'off' && !isValidCron(settlementCron, tz)) {
    throw new ConfigError(`SETTLEMENT_CRON must be a cron expression or "off" (got "${settlementCron}")`);
  }
  return {
    NODE_ENV: nodeEnv as LedgerEnv['NODE_ENV'],
    PORT: int(raw, 'PORT', 3000, 0, 65535),
    DATABASE_URL: databaseUrl,
    DATA_DIR: str(raw, 'DATA_DIR') ?? './.data',
    ADMIN_API_KEY: adminApiKey,
    GATEWAY_SECRET: str(raw, 'GATEWAY_SECRET'),
    GRAPHQL_INTROSPECTION: bool(raw, 'GRAPHQL_INTROSPECTION', nodeEnv !== 'production'),
    LEDGER_TIMEZONE: tz,
    SETTLEMENT_CRON: settlementCron,
    RATE_LIMIT_PER_MINUTE: int(raw, 'RATE_LIMIT_PER_MINUTE', 6000, 0, 10_000_000),
    IDEMPOTENCY_RETENTION_DAYS: int(raw, 'IDEMPOTENCY_RETENTION_DAYS', 30, 30, 3650),
    IDEMPOTENCY_WAIT_MS: int(raw, 'IDEMPOTENCY_WAIT_MS', 5000, 1, 600_000),
    APPLOCK_WAIT_MS: int(raw, 'APPLOCK_WAIT_MS', 2000, 0, 600_000),
    HOLD_EXPIRY_INTERVAL_MS: int(raw, 'HOLD_EXPIRY_INTERVAL_MS', 1000, 0, 3_600_000),
    DB_POOL_SIZE: int(raw, 'DB_POOL_SIZE', 20, 1, 1000),
    WORKERS: int(raw, 'WORKERS', 1, 1, 64),
    LOG_LEVEL: str(raw, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    ...validateEventsEnv(raw),
  };
}

// ---- Events and webhooks (issue 16; src/event, src/webhook) -----------------------------------------
// One block, so it can be ported as a unit when this file moves to a schema library.

export interface EventsEnv {
  /** 'off': the outbox triggers write nothing (a per-connection setting, `-c ledger.events=off`). */
  EVENTS: boolean;
  /** Sequenced events older than this are purged (and their deliveries). */
  EVENT_RETENTION_DAYS: number;
  /** How often each instance runs the sequencer (also woken when it has more to do). */
  EVENT_SEQUENCER_INTERVAL_MS: number;
  /** Delays before the 2nd, 3rd, ... attempt of a webhook delivery, in ms (from e.g. "5s,5m,30m,2h"). */
  WEBHOOK_RETRY_SCHEDULE: number[];
  /** An attempt with no answer within this is a failure. */
  WEBHOOK_TIMEOUT_MS: number;
  /** Allows http and loopback/private/link-local endpoint addresses in production. */
  WEBHOOK_ALLOW_PRIVATE: boolean;
  /** How often each instance looks for due webhook deliveries. */
  WEBHOOK_DISPATCH_INTERVAL_MS: number;
}

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5s,5m,30m,2h": each a positive integer with a unit (ms, s, m, h, d). */
function durations(raw: Raw, name: string, dflt: string): number[] {
  const v = str(raw, name) ?? dflt;
  const parts = v.split(',').map((p) => p.trim());
  const out = parts.map((p) => {
    const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(p);
    return m ? Number(m[1]) * DURATION_MS[m[2]] : NaN;
  });
  if (out.some((n) => !Number.isSafeInteger(n) || n <= 0 || n > 30 * 86_400_000) || out.length > 50) {
    throw new ConfigError(`${name} must be a comma-separated list of durations such as 5s,5m,2h (got "${v}")`);
  }
  return out;
}

function validateEventsEnv(raw: Raw): EventsEnv {
  const events = str(raw, 'EVENTS') ?? 'on';
  if (events !== 'on' && events !== 'off') throw new ConfigError(`EVENTS must be on or off (got "${events}")`);
  return {
    EVENTS: events === 'on',
    EVENT_RETENTION_DAYS: int(raw, 'EVENT_RETENTION_DAYS', 30, 1, 3650),
    EVENT_SEQUENCER_INTERVAL_MS: int(raw, 'EVENT_SEQUENCER_INTERVAL_MS', 200, 10, 60_000),
    WEBHOOK_RETRY_SCHEDULE: durations(raw, 'WEBHOOK_RETRY_SCHEDULE', '5s,5m,30m,2h,5h,10h,10h'),
    WEBHOOK_TIMEOUT_MS: int(raw, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 600_000),
    WEBHOOK_ALLOW_PRIVATE: bool(raw, 'WEBHOOK_ALLOW_PRIVATE', false),
    WEBHOOK_DISPATCH_INTERVAL_MS: int(raw, 'WEBHOOK_DISPATCH_INTERVAL_MS', 500, 10, 60_000),
  };
}

// ---- end of events and webhooks ------------------------------------------------------------------------

/** The validated configuration, or one line naming the bad variable and exit. */
export function envOrExit(exitCode: number): LedgerEnv {
  try {
    return validateEnv(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(exitCode);
    }
    throw e;
  }
}
