import { CronTime } from 'cron';
import { z } from 'zod';

/**
 * The service's configuration, read from the environment and validated once
 * by one zod schema. Used by the Nest app (ConfigModule `validate`) and by
 * `ormconfig.ts`, so the app and the TypeORM CLI can never drift apart. A bad
 * value throws one line that names the variable.
 *
 * One line per variable below: its parser (`int`, `bool`, `text`, ...), its
 * default and bounds. A variable of the former hand-written parser ports as
 * `int(raw, 'NAME', dflt, min, max)` -> `NAME: int(dflt, min, max)`,
 * `str(raw, 'NAME') ?? dflt` -> `NAME: text(dflt)`, `str(raw, 'NAME')` ->
 * `NAME: optionalText()`, `bool(raw, 'NAME', dflt)` -> `NAME: optionalBool()`
 * with its default in `withRules`. Rules that read two variables (production needs an admin
 * key, the cron is checked in the time zone, defaults that depend on NODE_ENV)
 * are in `withRules`.
 */

/** An unset variable: absent, null or empty text. */
const unset = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? v : JSON.stringify(v);

/** Text, or undefined when unset. */
const optionalText = () => z.preprocess(unset, z.string().optional());

/** Text with a default. */
const text = (dflt: string) => z.preprocess(unset, z.string().default(dflt));

/** An integer from min to max, written in decimal digits; dflt when unset. */
const int = (dflt: number, min: number, max: number) => {
  const error = (iss: { input?: unknown }) => `must be an integer from ${min} to ${max} (got "${String(iss.input)}")`;
  return z.preprocess(
    (v) => unset(v) ?? String(dflt),
    z
      .string()
      .regex(/^-?\d+$/, { error })
      .refine((v) => Number(v) >= min && Number(v) <= max, { error })
      .transform(Number),
  );
};

/** true/false/1/0, or undefined when unset (the default may depend on another variable). */
const optionalBool = () =>
  z.preprocess(
    unset,
    z
      .enum(['true', 'false', '1', '0'], { error: (iss) => `must be true or false (got "${String(iss.input)}")` })
      .transform((v) => v === 'true' || v === '1')
      .optional(),
  );

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A cron expression of 5 or 6 fields, checked by the `cron` package @nestjs/schedule runs on. */
function isValidCron(expr: string, tz: string): boolean {
  try {
    new CronTime(expr, tz);
    return true;
  } catch {
    return false;
  }
}

const variables = z.object({
  NODE_ENV: z.preprocess(
    unset,
    z
      .enum(['development', 'production', 'test'], {
        error: (iss) => `must be development, production or test (got "${String(iss.input)}")`,
      })
      .default('development'),
  ),
  PORT: int(3000, 0, 65535),
  DATABASE_URL: z.preprocess(
    unset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
  ),
  DATA_DIR: text('./.data'),
  ADMIN_API_KEY: z.preprocess(unset, z.string().min(16, { error: 'must be at least 16 characters' }).optional()),
  GATEWAY_SECRET: optionalText(),
  GRAPHQL_INTROSPECTION: optionalBool(),
  LEDGER_TIMEZONE: z.preprocess(
    unset,
    z
      .string()
      .refine(isValidTimeZone, { error: (iss) => `must be an IANA time zone (got "${String(iss.input)}")` })
      .default('UTC'),
  ),
  /** When the monthly settlement runs (cron syntax, in LEDGER_TIMEZONE); 'off' disables the job. */
  SETTLEMENT_CRON: text('5 0 1 * *'),
  RATE_LIMIT_PER_MINUTE: int(6000, 0, 10_000_000),
  IDEMPOTENCY_RETENTION_DAYS: int(30, 30, 3650),
  /** How long a mutation waits for the same orderNo still running elsewhere. */
  IDEMPOTENCY_WAIT_MS: int(5000, 1, 600_000),
  /** How long a money mutation waits for an app's AppLock lease. */
  APPLOCK_WAIT_MS: int(2000, 0, 600_000),
  /** How often each instance's hold expiry job runs; 0 turns it off (holds still expire lazily). */
  HOLD_EXPIRY_INTERVAL_MS: int(1000, 0, 3_600_000),
  DB_POOL_SIZE: int(20, 1, 1000),
  /** How long an API key's principal is reused without a database lookup; 0 looks it up on every request. */
  AUTH_CACHE_MS: int(5000, 0, 60_000),
  /** Service processes sharing the port (node:cluster); 1 runs in this process. */
  WORKERS: int(1, 1, 64),
  LOG_LEVEL: optionalText(),
});

/** The rules between variables, and the defaults that depend on NODE_ENV. */
const withRules = variables
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.ADMIN_API_KEY === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_API_KEY'], message: 'is required when NODE_ENV=production' });
    }
    if (env.SETTLEMENT_CRON !== 'off' && !isValidCron(env.SETTLEMENT_CRON, env.LEDGER_TIMEZONE)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SETTLEMENT_CRON'],
        message: `must be a cron expression or "off" (got "${env.SETTLEMENT_CRON}")`,
      });
    }
  })
  .transform((env) => ({
    ...env,
    GRAPHQL_INTROSPECTION: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production',
    LOG_LEVEL: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
  }));

export type LedgerEnv = z.output<typeof withRules>;

export class ConfigError extends Error {}

type Raw = Record<string, unknown>;

/** The validated configuration; a ConfigError naming the first bad variable (in the order above) otherwise. */
export function validateEnv(raw: Raw): LedgerEnv {
  const names = Object.keys(variables.shape);
  const picked = Object.fromEntries(names.map((n) => [n, raw[n]]));
  const result = withRules.safeParse(picked);
  if (result.success) return result.data;
  const order = (path: PropertyKey[]) => names.indexOf(String(path[0]));
  const first = [...result.error.issues].sort((a, b) => order(a.path) - order(b.path))[0];
  throw new ConfigError(`${String(first.path[0])} ${first.message}`);
}

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
