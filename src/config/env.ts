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

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5s,5m,30m,2h": a comma-separated list of positive integers with a unit (ms, s, m, h, d), each ≤ 30 days. */
const durations = (dflt: string) => {
  const error = (iss: { input?: unknown }) =>
    `must be a comma-separated list of durations such as 5s,5m,2h (got "${String(iss.input)}")`;
  const parse = (v: string) =>
    v.split(',').map((p) => {
      const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(p.trim());
      return m ? Number(m[1]) * DURATION_MS[m[2]] : NaN;
    });
  return z.preprocess(
    (v) => unset(v) ?? dflt,
    z
      .string()
      .refine(
        (v) => {
          const out = parse(v);
          return out.length <= 50 && out.every((n) => Number.isSafeInteger(n) && n > 0 && n <= 30 * 86_400_000);
        },
        { error },
      )
      .transform(parse),
  );
};

/** on/off, default on. */
const onOff = () =>
  z.preprocess(
    unset,
    z
      .enum(['on', 'off'], { error: (iss) => `must be on or off (got "${String(iss.input)}")` })
      .default('on')
      .transform((v) => v === 'on'),
  );

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
  /**
   * How money commands are grouped into statements (src/common/idempotency/command-batcher.ts): 'accounts'
   * (group commit across accounts), 'account' (only one account's commands together: Citus), 'off'.
   */
  BATCHING: z.preprocess(
    unset,
    z
      .enum(['accounts', 'account', 'off'], {
        error: (iss) => `must be accounts, account or off (got "${String(iss.input)}")`,
      })
      .default('accounts'),
  ),
  /**
   * With BATCHING=accounts: the money statements an instance keeps in flight at once (a statement waiting past
   * STALLED_AFTER_MS, src/common/idempotency/command-batcher.ts, stops counting). 1 measured fastest on 2 cores:
   * the biggest batches, the fewest commits (docs/benchmark.md, "One statement in flight").
   */
  BATCH_STATEMENTS: int(1, 1, 1000),
  /** How long an API key's principal is reused without a database lookup; 0 looks it up on every request. */
  AUTH_CACHE_MS: int(5000, 0, 60_000),
  /** Service processes sharing the port (node:cluster); 1 runs in this process. */
  WORKERS: int(1, 1, 64),
  LOG_LEVEL: optionalText(),
  // Events and webhooks (src/event, src/webhook).
  /** 'off': the outbox triggers write nothing (a per-connection setting, `-c ledger.events=off`). */
  EVENTS: onOff(),
  /** Sequenced events older than this are purged (and their deliveries). */
  EVENT_RETENTION_DAYS: int(30, 1, 3650),
  /** How often each instance runs the sequencer (also woken when it has more to do). */
  EVENT_SEQUENCER_INTERVAL_MS: int(200, 10, 60_000),
  /** Delays before the 2nd, 3rd, ... attempt of a webhook delivery, in ms (from e.g. "5s,5m,30m,2h"). */
  WEBHOOK_RETRY_SCHEDULE: durations('5s,5m,30m,2h,5h,10h,10h'),
  /** An attempt with no answer within this is a failure. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 600_000),
  /** Allows http and loopback/private/link-local endpoint addresses in production. */
  WEBHOOK_ALLOW_PRIVATE: optionalBool(),
  /** How often each instance looks for due webhook deliveries. */
  WEBHOOK_DISPATCH_INTERVAL_MS: int(500, 10, 60_000),
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
    WEBHOOK_ALLOW_PRIVATE: env.WEBHOOK_ALLOW_PRIVATE ?? false,
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
