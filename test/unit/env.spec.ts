import { ConfigError, validateEnv } from '../../src/config/env';

function refusal(raw: Record<string, string | undefined>): string {
  try {
    validateEnv(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('validateEnv', () => {
  it('fills every default from an empty environment', () => {
    expect(validateEnv({})).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: undefined,
      DATA_DIR: './.data',
      ADMIN_API_KEY: undefined,
      GATEWAY_SECRET: undefined,
      GRAPHQL_INTROSPECTION: true,
      LEDGER_TIMEZONE: 'UTC',
      SETTLEMENT_CRON: '5 0 1 * *',
      RATE_LIMIT_PER_MINUTE: 6000,
      IDEMPOTENCY_RETENTION_DAYS: 30,
      IDEMPOTENCY_WAIT_MS: 5000,
      APPLOCK_WAIT_MS: 2000,
      HOLD_EXPIRY_INTERVAL_MS: 1000,
      DB_POOL_SIZE: 20,
      BATCHING: 'accounts',
      BATCH_STATEMENTS: 1,
      AUTH_CACHE_MS: 5000,
      WORKERS: 1,
      LOG_LEVEL: 'info',
      EVENTS: true,
      EVENT_RETENTION_DAYS: 30,
      EVENT_SEQUENCER_INTERVAL_MS: 200,
      WEBHOOK_RETRY_SCHEDULE: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_ALLOW_PRIVATE: false,
      WEBHOOK_DISPATCH_INTERVAL_MS: 500,
    });
  });

  it('reads the events and webhook settings', () => {
    const env = validateEnv({ EVENTS: 'off', WEBHOOK_RETRY_SCHEDULE: '1s, 2m,3h', WEBHOOK_ALLOW_PRIVATE: 'true' });
    expect(env.EVENTS).toBe(false);
    expect(env.WEBHOOK_RETRY_SCHEDULE).toEqual([1_000, 120_000, 10_800_000]);
    expect(env.WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(() => validateEnv({ EVENTS: 'maybe' })).toThrow('EVENTS must be on or off (got "maybe")');
    expect(() => validateEnv({ WEBHOOK_RETRY_SCHEDULE: '5x' })).toThrow(
      'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,5m,2h (got "5x")',
    );
  });

  it('treats empty text as unset and ignores unrelated variables', () => {
    const env = validateEnv({ PORT: '', DATABASE_URL: '', HOME: '/root' });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).not.toHaveProperty('HOME');
  });

  it('reads given values', () => {
    const env = validateEnv({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@h/db',
      ADMIN_API_KEY: 'x'.repeat(16),
      GRAPHQL_INTROSPECTION: '1',
      LEDGER_TIMEZONE: 'Asia/Shanghai',
      SETTLEMENT_CRON: 'off',
      BATCHING: 'account',
      BATCH_STATEMENTS: '2',
      WORKERS: '4',
      LOG_LEVEL: 'debug',
    });
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      PORT: 8080,
      DATABASE_URL: 'postgresql://u:p@h/db',
      GRAPHQL_INTROSPECTION: true,
      LEDGER_TIMEZONE: 'Asia/Shanghai',
      SETTLEMENT_CRON: 'off',
      BATCHING: 'account',
      BATCH_STATEMENTS: 2,
      WORKERS: 4,
      LOG_LEVEL: 'debug',
    });
  });

  it('derives defaults from NODE_ENV: introspection off in production, warn logs in test', () => {
    expect(validateEnv({ NODE_ENV: 'production', ADMIN_API_KEY: 'k'.repeat(16) }).GRAPHQL_INTROSPECTION).toBe(false);
    expect(validateEnv({ NODE_ENV: 'test' }).LOG_LEVEL).toBe('warn');
    expect(validateEnv({ GRAPHQL_INTROSPECTION: 'false' }).GRAPHQL_INTROSPECTION).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535 (got "eighty")'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ PORT: '1e3' }, 'PORT must be an integer from 0 to 65535 (got "1e3")'],
    [{ IDEMPOTENCY_RETENTION_DAYS: '7' }, 'IDEMPOTENCY_RETENTION_DAYS must be an integer from 30 to 3650 (got "7")'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, production or test (got "staging")'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ NODE_ENV: 'production' }, 'ADMIN_API_KEY is required when NODE_ENV=production'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY must be at least 16 characters'],
    [{ GRAPHQL_INTROSPECTION: 'yes' }, 'GRAPHQL_INTROSPECTION must be true or false (got "yes")'],
    [{ LEDGER_TIMEZONE: 'Mars/Olympus_Mons' }, 'LEDGER_TIMEZONE must be an IANA time zone (got "Mars/Olympus_Mons")'],
    [{ SETTLEMENT_CRON: 'every day' }, 'SETTLEMENT_CRON must be a cron expression or "off" (got "every day")'],
    [{ WORKERS: '0' }, 'WORKERS must be an integer from 1 to 64 (got "0")'],
  ])('%p: one line naming the variable', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it('names the first bad variable in the schema order when several are bad', () => {
    expect(refusal({ WORKERS: '0', PORT: 'x', NODE_ENV: 'production' })).toMatch(/^PORT /);
  });
});
