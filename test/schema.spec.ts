import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';
import { TestDatabase } from './support/database';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const SCHEMA_FILE = join(__dirname, '..', 'schema.graphql');

/**
 * schema.graphql is committed for clients to read. This test keeps it true:
 * it introspects the running service and compares. `npm run schema` runs this
 * file with WRITE_SCHEMA=1, which rewrites the file instead.
 */
describe('schema.graphql', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
  });

  afterAll(() => closeLedger(db, [svc], { audit: false }));

  it('is the schema the service serves', async () => {
    const r = await svc.gql(getIntrospectionQuery(), {}, null);
    const live = printSchema(lexicographicSortSchema(buildClientSchema(r.data as never)));
    if (process.env.WRITE_SCHEMA) writeFileSync(SCHEMA_FILE, live + '\n');
    const committed = printSchema(lexicographicSortSchema(buildSchema(readFileSync(SCHEMA_FILE, 'utf8'))));
    expect(committed).toBe(live);
  });
});
