import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Runs `node dist/src/main.js` with the given environment; resolves with its exit code and stderr. */
function runMain(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const base: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    ADMIN_API_KEY: 'test-admin-key-0123456789abcdef',
  };
  // The database is never reached: a bad configuration stops start-up before it.
  base.DATABASE_URL = 'postgres://nobody:nothing@127.0.0.1:1/none';
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries({ ...base, ...env }).filter(([, v]) => v !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve) => proc.once('close', (code) => resolve({ code, stderr, stdout })));
}

describe('configuration is validated at start', () => {
  it.each([
    ['a PORT that is not a number', { PORT: 'eighty' }, 'PORT'],
    ['a PORT out of range', { PORT: '70000' }, 'PORT'],
    ['an unknown LEDGER_TIMEZONE', { LEDGER_TIMEZONE: 'Mars/Olympus_Mons' }, 'LEDGER_TIMEZONE'],
    ['production without ADMIN_API_KEY', { NODE_ENV: 'production', ADMIN_API_KEY: undefined }, 'ADMIN_API_KEY'],
    ['a RATE_LIMIT_PER_MINUTE below 0', { RATE_LIMIT_PER_MINUTE: '-5' }, 'RATE_LIMIT_PER_MINUTE'],
    ['a DATABASE_URL that is not postgres://', { DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    ['an unknown BATCHING', { BATCHING: 'shard' }, 'BATCHING'],
    ['a BATCH_STATEMENTS of 0', { BATCH_STATEMENTS: '0' }, 'BATCH_STATEMENTS'],
  ])('%s: exit 1 with one line naming the variable', async (_what, env, variable) => {
    const { code, stderr, stdout } = await runMain(env);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Configuration error: ${variable} `));
    expect(stdout).not.toMatch(/Ledger ready/);
  });
});
