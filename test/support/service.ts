import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const READY_MS = 90_000;

export interface GqlError {
  message: string;
  path?: string[];
  extensions: { code: string; retCode: number; field?: string; replayed?: boolean; [k: string]: unknown };
}

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
}

/** One running instance of the built service (`node dist/src/main.js`). */
export class Service {
  private exited: Promise<number | null>;

  constructor(
    readonly url: string,
    readonly proc: ChildProcess,
    readonly output: string[],
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  async gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    key: string | null = ADMIN_KEY,
  ): Promise<GqlResult<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as GqlResult<T>;
    return { ...body, status: res.status };
  }

  /** Graceful stop (SIGTERM) or a crash (SIGKILL); resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    return this.exited;
  }
}

/**
 * Starts the service on a database and waits until it serves. `root`: another
 * copy of the built service to run (a clone elsewhere).
 */
export async function startService(
  databaseUrl: string,
  env: Record<string, string> = {},
  root = ROOT,
): Promise<Service> {
  const output: string[] = [];
  const proc = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const m = /Ledger ready: GraphQL at (http:\/\/localhost:\d+)\/graphql/.exec(text);
      if (m) {
        clearTimeout(notReady);
        resolve(m[1]);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    proc.once('exit', (code) => reject(new Error(`service exited (${code}) before it was ready:\n${output.join('')}`)));
    // Generous: a first embedded start (initdb) on the shared 2-core machine under load can take tens of seconds.
    const notReady = setTimeout(
      () => reject(new Error(`service not ready in ${READY_MS / 1000} s:\n${output.join('')}`)),
      READY_MS,
    );
    notReady.unref();
  }).catch((err: unknown) => {
    // Never leave a half-started service behind (it would keep writing to DATA_DIR and hold its port).
    proc.kill('SIGTERM');
    throw err;
  });
  return new Service(url, proc, output);
}
