import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, PAY, orderNo } from './support/ledger';
import { ADMIN_KEY, Service, startService } from './support/service';
import { closeLedger, openLedger } from './support/suite';

interface LogLine {
  level: number;
  msg?: string;
  code?: string;
  requestId?: string;
  context?: string;
  err?: { stack?: string };
  [k: string]: unknown;
}

/** The JSON log lines the service printed so far. */
function jsonLines(svc: Service): LogLine[] {
  return svc.output
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

/** Waits (bounded) until the service has printed what `found` looks for. */
async function logged<T>(svc: Service, found: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const hit = found();
    if (hit !== undefined) return hit;
    if (Date.now() > deadline) throw new Error(`not logged; output:\n${svc.output.join('').slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * SPEC §8 / issue 13: expected refusals (bad key, bad input, business errors)
 * are logged at info without a stack; only faults are errors, with their
 * stack and the request id the client got. JSON lines outside development,
 * a readable log in development.
 */
describe('logging of errors', () => {
  let db: TestDatabase;
  let svc: Service;
  let dev: Service | undefined;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ LOG_LEVEL: 'info' }));
    await fundedAccount(svc, 1401, 100);
  });

  afterAll(() => closeLedger(db, [svc, dev]));

  it('expected refusals are info lines without a stack, and Nest logs no error for them', async () => {
    expect(errorOf(await svc.gql('{ account(appId: 1401) { balance } }', {}, 'lk_wrong')).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await svc.gql(PAY, { input: { orderNo: orderNo('bad'), appId: 1401, amount: 0 } })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(await svc.gql('{ account(appId: 1.5) { balance } }')).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await svc.gql(PAY, { input: { orderNo: orderNo('poor'), appId: 1401, amount: 500 } })).code).toBe(
      'INSUFFICIENT_BALANCE',
    );
    for (const code of ['UNAUTHENTICATED', 'INVALID_ARGUMENT', 'INSUFFICIENT_BALANCE']) {
      const line = await logged(svc, () => jsonLines(svc).find((l) => l.code === code));
      expect(line.level).toBe(30); // info
      expect(JSON.stringify(line)).not.toMatch(/stack| {4}at /);
    }
    const invalid = jsonLines(svc).filter((l) => l.code === 'INVALID_ARGUMENT');
    expect(invalid.map((l) => l.field).sort()).toEqual(['appId', 'input.amount']);
    expect(jsonLines(svc).filter((l) => l.level >= 50)).toEqual([]);
  });

  it('a fault is an error line with its stack and the request id the client was given', async () => {
    await db.pool.query('ALTER TABLE price RENAME TO price_away');
    try {
      const r = await svc.gql('{ prices { name } }');
      expect(errorOf(r)).toMatchObject({ code: 'DB_READ_ERROR', retCode: -2 });
      const requestId = r.errors![0].extensions.requestId as string;
      expect(requestId).toBeTruthy();
      expect(r.errors![0].message).not.toMatch(/price_away|relation/); // internals stay in the log
      const line = await logged(svc, () => jsonLines(svc).find((l) => l.requestId === requestId && l.level >= 50));
      expect(line.level).toBe(50);
      expect(line.err?.stack).toMatch(/relation "price" does not exist/);
    } finally {
      await db.pool.query('ALTER TABLE price_away RENAME TO price');
    }
  });

  it('in development the log is for a person: one readable line per event, not JSON', async () => {
    dev = await startService(db.url, { NODE_ENV: 'development', LOG_LEVEL: 'info', ADMIN_API_KEY: ADMIN_KEY });
    expect(errorOf(await dev.gql('{ account(appId: 1401) { balance } }', {}, 'lk_wrong')).code).toBe('UNAUTHENTICATED');
    const line = await logged(dev, () =>
      dev!.output
        .join('')
        .split('\n')
        .find((l) => l.includes('UNAUTHENTICATED')),
    );
    expect(line).toMatch(/INFO/);
    expect(line.trimStart().startsWith('{')).toBe(false);
    expect(
      dev.output
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{"level"')),
    ).toEqual([]);
  });
});
