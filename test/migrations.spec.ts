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
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { createEmptyDatabase, createTestDatabase, TestDatabase } from './support/database';

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

describe('migration EntitlementLines', () => {
  let empty: { url: string; drop(): Promise<void> } | undefined;
  afterAll(() => empty?.drop());

  it("numbers a database's existing entitlements 1, 2, … within each pay, in the order they were delivered", async () => {
    empty = await createEmptyDatabase('ledger_lines');
    const { url } = empty;
    // The migrations before it, then rows as the old key (a sequence id) had them: two pays of app 1, one of app 2.
    const before = readdirSync(migrationsDir(ROOT))
      .filter((f) => f < '1763900001400')
      .map((f) => join(migrationsDir(ROOT), f));
    const ds = new DataSource({ ...dataSourceOptions(url, { poolSize: 1 }), entities: [], migrations: before });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      await ds.query(
        `INSERT INTO entitlement (app_id, name, quantity, billing, unit_price, bill_id)
         VALUES (1, 'b1-first', 1, 'ONE_TIME', 3, 500), (2, 'other-app', 1, 'ONE_TIME', 3, 500),
                (1, 'b2-only', 1, 'MONTHLY', 5, 600), (1, 'b1-second', 2, 'ONE_TIME', 4, 500)`,
      );
    } finally {
      await ds.destroy();
    }
    expect(await migrate(url)).toContain('EntitlementLines1763900001400');
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
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
    } finally {
      await c.end();
    }
  });
});
