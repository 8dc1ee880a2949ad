import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { createEmptyDatabase } from './support/database';

/**
 * The entities (src/<feature>/*.entity.ts, found by the glob of
 * data-source-options.ts) against the schema the migrations build: an empty
 * database is migrated, and TypeORM's schema builder is asked what it would
 * change to make the database match the entities. Nothing, or the entities and
 * the migrations disagree (a column, type, default, key, index, check or
 * foreign key added on one side only).
 */
describe('schema drift: entities vs migrations', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;

  beforeAll(async () => {
    db = await createEmptyDatabase('ledger_drift');
    await migrate(db.url);
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('every table has an entity', async () => {
    const tables: { table_name: string }[] = await ds.query(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
        ORDER BY table_name`,
    );
    const entityTables = ds.entityMetadatas
      .filter((m) => m.tableType !== 'view')
      .map((m) => m.tableName)
      .sort();
    expect(entityTables).toEqual(tables.map((t) => t.table_name));
  });

  it('every view has a view entity, and every view entity is a view of the migrated schema', async () => {
    const views: { table_name: string }[] = await ds.query(
      `SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY table_name`,
    );
    const viewEntities = ds.entityMetadatas
      .filter((m) => m.tableType === 'view')
      .map((m) => m.tableName)
      .sort();
    expect(viewEntities).toEqual(views.map((v) => v.table_name));
  });

  it("TypeORM's schema diff between the entities and the migrated schema is empty", async () => {
    const diff = await ds.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);
  });
});
