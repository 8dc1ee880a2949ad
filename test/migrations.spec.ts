import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkMigrations,
  manifestPath,
  manifestText,
  migrationHashes,
  migrationsDir,
  readManifest,
} from '../src/database/migrations-manifest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { createEmptyDatabase, createTestDatabase, TestDatabase, withClient } from './support/database';

const ROOT = join(__dirname, '..');
const FUNCTIONS = join(ROOT, 'src', 'database', 'functions');
/** The function a .sql file defines (one per file). */
const definedIn = (text: string) => /CREATE OR REPLACE FUNCTION (\w+)\(/.exec(text)?.[1];

describe('landed migrations are never edited', () => {
  it('every migration file is listed in src/database/migrations.sha256 with its checksum', () => {
    const problems = checkMigrations(readManifest(ROOT), migrationHashes(ROOT)).map((p) =>
      p.kind === 'unlisted'
        ? `${p.file} is not listed: run npm run migrations:manifest and commit src/database/migrations.sha256`
        : `${p.file} is ${p.kind}: a landed migration is never edited (write a new migration instead)`,
    );
    expect(problems).toEqual([]);
  });

  it('the check names a changed, a removed and an unlisted file', () => {
    const root = mkdtempSync(join(tmpdir(), 'manifest-'));
    try {
      mkdirSync(migrationsDir(root), { recursive: true });
      for (const f of ['1-A.ts', '2-B.ts']) writeFileSync(join(migrationsDir(root), f), `// ${f}\n`);
      writeFileSync(manifestPath(root), manifestText(migrationHashes(root)));
      expect(checkMigrations(readManifest(root), migrationHashes(root))).toEqual([]);

      writeFileSync(join(migrationsDir(root), '1-A.ts'), '// edited\n');
      rmSync(join(migrationsDir(root), '2-B.ts'));
      writeFileSync(join(migrationsDir(root), '3-C.ts'), '// new\n');
      expect(checkMigrations(readManifest(root), migrationHashes(root))).toEqual([
        { file: '1-A.ts', kind: 'changed' },
        { file: '2-B.ts', kind: 'missing' },
        { file: '3-C.ts', kind: 'unlisted' },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('server-side functions live in src/database/functions, one .sql file each', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const files = readdirSync(FUNCTIONS).filter((f) => f.endsWith('.sql'));

  it("a migrated database's function bodies are the files' bodies", async () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(FUNCTIONS, file), 'utf8');
      const name = definedIn(text);
      expect(`${name}.sql`).toBe(file); // one function per file, named after it
      const body = /\$fn\$([\s\S]*)\$fn\$/.exec(text)![1];
      const { rows } = await db.pool.query('SELECT prosrc FROM pg_proc WHERE proname = $1', [name]);
      expect({ file, bodies: rows.map((r) => r.prosrc) }).toEqual({ file, bodies: [body] });
    }
  });

  it('every ledger_ function in the database has its file (nothing defined only in a migration)', async () => {
    const { rows } = await db.pool.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proname LIKE 'ledger\\_%' ORDER BY 1`,
    );
    expect(rows.map((r) => `${r.proname}.sql`)).toEqual([...files].sort());
  });

  it('a retired function (functions/retired/: an earlier migration installs it, a later one drops it) is gone', async () => {
    const retired = readdirSync(join(FUNCTIONS, 'retired')).filter((f) => f.endsWith('.sql'));
    expect(retired.length).toBeGreaterThan(0);
    for (const file of retired) {
      const name = definedIn(readFileSync(join(FUNCTIONS, 'retired', file), 'utf8'));
      expect(`${name}.sql`).toBe(file);
      const { rows } = await db.pool.query('SELECT 1 FROM pg_proc WHERE proname = $1', [name]);
      expect({ file, installed: rows.length }).toEqual({ file, installed: 0 });
    }
  });
});

/** The migrations whose files start at most with `last`, in order. */
const migrationsThrough = (last: string) =>
  readdirSync(migrationsDir(ROOT))
    .filter((f) => f.slice(0, last.length) <= last)
    .map((f) => join(migrationsDir(ROOT), f));

/** `fn` with a DataSource of `url` that knows only the migrations through `last` (no entities). */
async function withMigrations<T>(url: string, last: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource({
    ...dataSourceOptions(url, { poolSize: 1 }),
    entities: [],
    migrations: migrationsThrough(last),
  });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

/** Runs the migrations up to and including the one whose file starts with `last`; answers their names. */
const migrateThrough = (url: string, last: string): Promise<string[]> =>
  withMigrations(url, last, async (ds) => (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name));

describe('migration EntitlementLines', () => {
  let empty: { url: string; drop(): Promise<void> } | undefined;
  afterAll(() => empty?.drop());

  it("numbers a database's existing entitlements 1, 2, … within each pay, in the order they were delivered", async () => {
    empty = await createEmptyDatabase('ledger_lines');
    const { url } = empty;
    // The migrations before it, then rows as the old key (a sequence id) had them: two pays of app 1, one of app 2.
    await migrateThrough(url, '1763900001300');
    await withClient(url, (c) =>
      c.query(
        `INSERT INTO entitlement (app_id, name, quantity, billing, unit_price, bill_id)
         VALUES (1, 'b1-first', 1, 'ONE_TIME', 3, 500), (2, 'other-app', 1, 'ONE_TIME', 3, 500),
                (1, 'b2-only', 1, 'MONTHLY', 5, 600), (1, 'b1-second', 2, 'ONE_TIME', 4, 500)`,
      ),
    );
    // Through EntitlementLines only: the next migration turns the table into a view of the bills.
    expect(await migrateThrough(url, '1763900001400')).toContain('EntitlementLines1763900001400');
    await withClient(url, async (c) => {
      const { rows } = await c.query(
        `SELECT app_id, bill_id, line, name FROM entitlement ORDER BY app_id, bill_id, line`,
      );
      expect(rows).toEqual([
        { app_id: 1, bill_id: 500, line: 1, name: 'b1-first' },
        { app_id: 1, bill_id: 500, line: 2, name: 'b1-second' },
        { app_id: 1, bill_id: 600, line: 1, name: 'b2-only' },
        { app_id: 2, bill_id: 500, line: 1, name: 'other-app' },
      ]);
      const { rows: key } = await c.query(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'entitlement_pkey'`,
      );
      expect(key).toEqual([{ def: 'PRIMARY KEY (app_id, bill_id, line)' }]);
    });
  });
});

describe('migration EntitlementsFromBills', () => {
  const dbs: { drop(): Promise<void> }[] = [];
  afterAll(() => Promise.all(dbs.map((d) => d.drop())));

  /** A database migrated up to EntitlementsFromBills, with two pays by items (one rolled back) and their rows. */
  async function withDeliveries(name: string, extraRow?: string): Promise<string> {
    const db = await createEmptyDatabase(name);
    dbs.push(db);
    await migrateThrough(db.url, '1763900001600');
    await withClient(db.url, async (c) => {
      const line = (n: string, q: number, billing: string, unit: number) => ({
        name: n,
        quantity: q,
        unitPrice: unit,
        billing,
        subtotal: q * unit,
      });
      const pay1 = { items: [line('a', 1, 'ONE_TIME', 3), line('b', 2, 'MONTHLY', 5)], total: 13 };
      const pay2 = { items: [line('c', 1, 'ONE_TIME', 7)], total: 7 };
      await c.query(`SET ledger.events = off`);
      await c.query(
        `INSERT INTO bill (app_id, bill_id, order_no, channel, amount, old_balance, new_balance, status, ret_code,
                           price_info, created_at)
         VALUES (1, 500, 'p1', 'PAY', -13, 100, 87, 'SUCCESS', 0, $1, '2026-01-01T00:00:00Z'),
                (1, 600, 'p2', 'PAY', -7, 87, 80, 'SUCCESS', 0, $2, '2026-01-02T00:00:00Z'),
                (1, 600, 'r2', 'ROLLBACK', 7, 80, 87, 'SUCCESS', 0, $2, '2026-01-03T00:00:00Z'),
                (1, 700, 'p3', 'PAY', -7, 87, 87, 'FAILED', 3, $2, '2026-01-04T00:00:00Z')`,
        [JSON.stringify(pay1), JSON.stringify(pay2)],
      );
      await c.query(
        `INSERT INTO entitlement (app_id, bill_id, line, name, quantity, billing, unit_price, active, created_at,
                                  ended_at)
         VALUES (1, 500, 1, 'a', 1, 'ONE_TIME', 3, true, '2026-01-01T00:00:00Z', NULL),
                (1, 500, 2, 'b', 2, 'MONTHLY', 5, true, '2026-01-01T00:00:00Z', NULL),
                (1, 600, 1, 'c', 1, 'ONE_TIME', 7, false, '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z')
                ${extraRow ?? ''}`,
      );
    });
    return db.url;
  }

  it('turns the table into a view of the bills that lists the same deliveries, ended by their rollbacks', async () => {
    const url = await withDeliveries('ledger_from_bills');
    expect(await migrate(url)).toContain('EntitlementsFromBills1763900001700');
    await withClient(url, async (c) => {
      const { rows } = await c.query(
        `SELECT app_id, bill_id, line, name, quantity, billing, unit_price, active,
                to_char(created_at AT TIME ZONE 'UTC', 'MM-DD') AS created, to_char(ended_at AT TIME ZONE 'UTC', 'MM-DD') AS ended
           FROM entitlement ORDER BY app_id, bill_id, line`,
      );
      const row = (bill: number, line: number, name: string, q: number, billing: string, unit: number) => ({
        app_id: 1,
        bill_id: bill,
        line,
        name,
        quantity: q,
        billing,
        unit_price: unit,
      });
      expect(rows).toEqual([
        { ...row(500, 1, 'a', 1, 'ONE_TIME', 3), active: true, created: '01-01', ended: null },
        { ...row(500, 2, 'b', 2, 'MONTHLY', 5), active: true, created: '01-01', ended: null },
        { ...row(600, 1, 'c', 1, 'ONE_TIME', 7), active: false, created: '01-02', ended: '01-03' },
      ]);
      const { rows: kind } = await c.query(
        `SELECT table_type FROM information_schema.tables WHERE table_name = 'entitlement'`,
      );
      expect(kind).toEqual([{ table_type: 'VIEW' }]);
    });
  });

  it('stops, dropping nothing, when a row is not what its pay says', async () => {
    const url = await withDeliveries(
      'ledger_from_bills_lost',
      `, (1, 500, 3, 'gift', 1, 'ONE_TIME', 0, true, now(), NULL)`,
    );
    await expect(migrate(url)).rejects.toThrow(
      /1 entitlement row\(s\) are not what their pay's bill says \(first: app 1, bill 500, line 3\)/,
    );
    await withClient(url, async (c) => {
      const { rows } = await c.query(
        `SELECT table_type FROM information_schema.tables WHERE table_name = 'entitlement'`,
      );
      expect(rows).toEqual([{ table_type: 'BASE TABLE' }]);
      expect((await c.query(`SELECT count(*)::int AS n FROM entitlement`)).rows).toEqual([{ n: 4 }]);
      expect(
        (await c.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'bill_delivery'`)).rows,
      ).toEqual([{ n: 0 }]);
    });
  });
});

/** The CHECK constraints of a table, by name. */
const checksOf = (url: string, table: string) =>
  withClient(url, async (c) =>
    (
      await c.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c' ORDER BY conname`,
        [table],
      )
    ).rows.map((r) => r.conname),
  );

describe('migration HoldRulesInOneCheck', () => {
  const dbs: { drop(): Promise<void> }[] = [];
  afterAll(() => Promise.all(dbs.map((d) => d.drop())));

  /** Every combination of a hold's checked columns, around each rule's edges. */
  const candidates = ['OPEN', 'CAPTURED', 'RELEASED', 'EXPIRED', 'BOGUS'].flatMap((status) =>
    ['0', '1', '5', '9007199254740991', '9007199254740992'].flatMap((amount) =>
      ['-1', '0', '1', '5', '6'].flatMap((captured) =>
        [false, true].map((ended) => ({ status, amount, captured, ended })),
      ),
    ),
  );

  /** Which candidates the database's hold table takes (each tried alone, in a savepoint), and each refusal's constraint. */
  async function verdicts(url: string): Promise<{ taken: boolean[]; refusedBy: Set<string> }> {
    return withClient(url, async (c) => {
      const taken: boolean[] = [];
      const refusedBy = new Set<string>();
      await c.query('BEGIN');
      for (const [i, h] of candidates.entries()) {
        await c.query('SAVEPOINT s');
        try {
          await c.query(
            `INSERT INTO hold (app_id, order_no, bill_id, amount, captured, status, expires_at, ended_at)
             VALUES (1, $1, $2, $3, $4, $5, now(), CASE WHEN $6 THEN now() END)`,
            [`h-${i}`, i + 1, h.amount, h.captured, h.status, h.ended],
          );
          taken.push(true);
        } catch (err) {
          const e = err as { code?: string; constraint?: string };
          expect(e.code).toBe('23514');
          refusedBy.add(e.constraint!);
          taken.push(false);
          await c.query('ROLLBACK TO SAVEPOINT s');
        }
      }
      await c.query('ROLLBACK');
      return { taken, refusedBy };
    });
  }

  it('takes exactly the holds the five checks took, and refuses the rest by hold_valid', async () => {
    const before = await createEmptyDatabase('ledger_hold_five');
    const after = await createEmptyDatabase('ledger_hold_one');
    dbs.push(before, after);
    await migrateThrough(before.url, '1763900002700');
    await migrate(after.url);
    const five = await verdicts(before.url);
    const one = await verdicts(after.url);
    expect(five.taken.filter(Boolean).length).toBeGreaterThan(0);
    expect(five.taken.filter((t) => !t).length).toBeGreaterThan(0);
    expect(one.taken).toEqual(five.taken);
    expect([...one.refusedBy]).toEqual(['hold_valid']);
    expect(five.refusedBy.size).toBe(5);
  });

  it('validates the holds a database has, and its down() brings the five checks back', async () => {
    const db = await createEmptyDatabase('ledger_hold_down');
    dbs.push(db);
    await migrateThrough(db.url, '1763900002700');
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO hold (app_id, order_no, bill_id, amount, captured, status, expires_at, ended_at)
         VALUES (1, 'open', 1, 5, 0, 'OPEN', now(), NULL), (1, 'taken', 2, 5, 3, 'CAPTURED', now(), now())`,
      ),
    );
    expect(await migrateThrough(db.url, '1763900002800')).toEqual(['HoldRulesInOneCheck1763900002800']);
    expect(await checksOf(db.url, 'hold')).toEqual(['hold_valid']);
    await withMigrations(db.url, '1763900002800', (ds) => ds.undoLastMigration({ transaction: 'each' }));
    expect(await checksOf(db.url, 'hold')).toEqual([
      'hold_amount_check',
      'hold_captured_only_when_captured',
      'hold_captured_range',
      'hold_ended',
      'hold_status_check',
    ]);
  });
});

describe('migration RowRulesInOneCheck', () => {
  const dbs: { drop(): Promise<void> }[] = [];
  afterAll(() => Promise.all(dbs.map((d) => d.drop())));

  const MAX = '9007199254740991';
  const OVER = '9007199254740992';
  /** Every combination of the given values of each column. */
  const grid = (cols: Record<string, (string | null)[]>): Record<string, string | null>[] =>
    Object.entries(cols).reduce<Record<string, string | null>[]>(
      (rows, [col, values]) => rows.flatMap((r) => values.map((v) => ({ ...r, [col]: v }))),
      [{}],
    );

  /**
   * Per table: the constraints it had and the one replacing them, rows around each rule's edges, and the INSERT of
   * one (its i-th, for unique keys). Each row's checked columns only; the rest are fixed valid values.
   */
  const TABLES = [
    {
      table: 'account',
      before: ['account_app_id_check', 'account_balance_range', 'account_held_range'],
      after: 'account_valid',
      rows: grid({ app_id: ['-1', '0', '1'], balance: ['-1', '0', '5', MAX, OVER], held: ['-1', '0', '5', '6'] }),
      insert: (r: Record<string, string | null>, i: number) => ({
        text: `INSERT INTO account (app_id, balance, held) VALUES ($1::int * (1000 + $4::int), $2, $3)`,
        values: [r.app_id, r.balance, r.held, i],
      }),
    },
    {
      table: 'bill',
      before: ['bill_balance_arith', 'bill_channel_check', 'bill_status_check'],
      after: 'bill_valid',
      rows: grid({
        channel: ['PAY', 'SETTLEMENT', 'REFUND'],
        status: ['SUCCESS', 'FAILED', 'PENDING'],
        new_balance: ['7', '8'],
      }),
      insert: (r: Record<string, string | null>, i: number) => ({
        text: `INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
               VALUES ($1, 1, $2, $3, -3, 10, $4, $5, 0)`,
        values: [i + 1, `b-${i}`, r.channel, r.new_balance, r.status],
      }),
    },
    {
      table: 'ledger_event',
      before: ['ledger_event_type_check'],
      after: 'ledger_event_valid',
      rows: grid({ type: ['BILL_RECORDED', 'BALANCE_LOW', 'RECONCILIATION_COMPLETED', 'BILL_DELETED', ''] }),
      insert: (r: Record<string, string | null>) => ({
        text: `INSERT INTO ledger_event (type, app_id, data) VALUES ($1, 1, '{}')`,
        values: [r.type],
      }),
    },
    {
      table: 'coupon',
      before: ['coupon_discount_check', 'coupon_min_spend_check', 'coupon_status_check', 'coupon_used_bill'],
      after: 'coupon_valid',
      rows: grid({
        status: ['ISSUED', 'USED', 'LOST'],
        discount: ['0', '1'],
        min_spend: ['-1', '0'],
        used_by_bill_id: [null, '5'],
      }),
      insert: (r: Record<string, string | null>, i: number) => ({
        text: `INSERT INTO coupon
                 (app_id, template_code, discount, min_spend, status, order_no, expires_at, used_by_bill_id)
               VALUES (1, 'rules', $1, $2, $3, $4, now(), $5)`,
        values: [r.discount, r.min_spend, r.status, `c-${i}`, r.used_by_bill_id],
      }),
    },
  ];

  /** Which rows each table takes (each tried alone, in a savepoint), and each refusal's constraint. */
  async function verdicts(url: string) {
    return withClient(url, async (c) => {
      const out: Record<string, { taken: boolean[]; refusedBy: Set<string> }> = {};
      await c.query('BEGIN');
      await c.query(
        `INSERT INTO coupon_template (code, name, discount, per_app_limit, valid_days)
         VALUES ('rules', 'rules', 1, 1, 1)`,
      );
      for (const t of TABLES) {
        const v = (out[t.table] = { taken: [] as boolean[], refusedBy: new Set<string>() });
        for (const [i, row] of t.rows.entries()) {
          await c.query('SAVEPOINT s');
          try {
            await c.query(t.insert(row, i));
            v.taken.push(true);
          } catch (err) {
            const e = err as { code?: string; constraint?: string };
            expect({ row, code: e.code }).toEqual({ row, code: '23514' });
            v.refusedBy.add(e.constraint!);
            v.taken.push(false);
            await c.query('ROLLBACK TO SAVEPOINT s');
          }
        }
      }
      await c.query('ROLLBACK');
      return out;
    });
  }

  it('each table takes exactly the rows its checks took, and refuses the rest by its one check', async () => {
    const before = await createEmptyDatabase('ledger_rules_many');
    const after = await createEmptyDatabase('ledger_rules_one');
    dbs.push(before, after);
    await migrateThrough(before.url, '1763900002900');
    await migrate(after.url);
    const many = await verdicts(before.url);
    const one = await verdicts(after.url);
    for (const t of TABLES) {
      expect(many[t.table].taken.filter(Boolean).length).toBeGreaterThan(0);
      expect(many[t.table].taken.filter((x) => !x).length).toBeGreaterThan(0);
      expect({ table: t.table, taken: one[t.table].taken }).toEqual({ table: t.table, taken: many[t.table].taken });
      expect([...one[t.table].refusedBy]).toEqual([t.after]);
      expect([...many[t.table].refusedBy].sort()).toEqual(t.before);
      expect(await checksOf(after.url, t.table)).toEqual([t.after]);
    }
  });

  it('migrates a database that has rows, and its down() brings the old checks back', async () => {
    const db = await createEmptyDatabase('ledger_rules_down');
    dbs.push(db);
    await migrateThrough(db.url, '1763900002900');
    await withClient(db.url, async (c) => {
      await c.query(`INSERT INTO account (app_id, balance, held) VALUES (1, 10, 3)`);
      await c.query(
        `INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
         VALUES (1, 1, 'o', 'PAY', -3, 10, 7, 'SUCCESS', 0)`,
      );
    });
    expect(await migrateThrough(db.url, '1763900003000')).toEqual(['RowRulesInOneCheck1763900003000']);
    for (const t of TABLES) expect(await checksOf(db.url, t.table)).toEqual([t.after]);
    await withMigrations(db.url, '1763900003000', (ds) => ds.undoLastMigration({ transaction: 'each' }));
    for (const t of TABLES) expect(await checksOf(db.url, t.table)).toEqual(t.before);
  });
});

describe('migration PriceLinesTyped', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO price (name, price, billing) VALUES
         ('web', 100, 'ONE_TIME'), ('db', 250, 'MONTHLY'), ('say "hi" \\ ü 日本', 7, 'ONE_TIME'),
         ('big', 900719925474, 'MONTHLY'), ('max', 9007199254740991, 'ONE_TIME'), ('one', 1, 'ONE_TIME')`,
    );
  });
  afterAll(() => db.drop());

  /**
   * The priceInfo as ledger_op_pay built it before the migration: a jsonb object per line, appended in order, then
   * {items, total}; here as one query over the same price table.
   */
  const BEFORE = `
    SELECT jsonb_build_object(
             'items', jsonb_agg(jsonb_build_object('name', p.name, 'quantity', (e.item->>'quantity')::bigint,
                                                   'unitPrice', p.price, 'billing', p.billing,
                                                   'subtotal', p.price::numeric * (e.item->>'quantity')::bigint)
                                ORDER BY e.ord),
             'total', sum(p.price::numeric * (e.item->>'quantity')::bigint))::text AS before
      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY e(item, ord) JOIN price p ON p.name = e.item->>'name'`;
  const priced = async (items: { name: string; quantity: number }[]) => {
    const { rows } = await db.pool.query('SELECT ledger_price_items($1::jsonb)::text AS now', [JSON.stringify(items)]);
    return JSON.parse(rows[0].now as string) as Record<string, unknown>;
  };

  it('prices every line as before, byte for byte (order, repeats, any name, totals up to 2^53-1)', async () => {
    const lists = [
      [
        { name: 'web', quantity: 3 },
        { name: 'db', quantity: 2 },
      ],
      [{ name: 'db', quantity: 1 }],
      [
        { name: 'say "hi" \\ ü 日本', quantity: 10000 },
        { name: 'web', quantity: 1 },
        { name: 'web', quantity: 5 },
      ],
      [{ name: 'big', quantity: 10000 }],
      [{ name: 'max', quantity: 1 }],
      Array.from({ length: 100 }, (_, i) => ({ name: ['web', 'db', 'one'][i % 3], quantity: i + 1 })),
    ];
    for (const items of lists) {
      const json = JSON.stringify(items);
      const { rows } = await db.pool.query(`SELECT ledger_price_items($1::jsonb)::text AS now, (${BEFORE}) AS before`, [
        json,
      ]);
      expect({ items: json, now: rows[0].now }).toEqual({ items: json, now: rows[0].before });
    }
    expect(await priced([{ name: 'web', quantity: 3 }])).toEqual({
      items: [{ name: 'web', quantity: 3, unitPrice: 100, billing: 'ONE_TIME', subtotal: 300 }],
      total: 300,
    });
  });

  it('refuses, unstored, the first unknown item by its index and a total past 2^53-1 cents', async () => {
    const rejected = (field: string, message: string) => ({
      error: { code: 'INVALID_ARGUMENT', message, details: { field } },
      stored: false,
    });
    const unknown = [
      { name: 'web', quantity: 1 },
      { name: 'nope', quantity: 1 },
      { name: 'gone', quantity: 1 },
    ];
    expect(await priced(unknown)).toEqual(rejected('input.items[1].name', 'input.items[1].name: unknown item "nope"'));
    const tooMuch = [
      { name: 'max', quantity: 1 },
      { name: 'one', quantity: 1 },
    ];
    expect(await priced(tooMuch)).toEqual(rejected('input.items', 'input.items: the total exceeds 2^53-1 cents'));
  });
});
