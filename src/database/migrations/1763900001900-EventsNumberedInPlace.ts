import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sequencer numbers every event once after it committed (`UPDATE ledger_event SET seq = …`). With the table's
 * pages filled by the inserts, the numbered version of each row went to another page: the whole row (its data, a
 * bill's JSON with its priceInfo) was written to the WAL a second time, and the version it replaced stayed behind
 * for VACUUM. With fillfactor 45, inserts leave more than half of each new page free, so the numbered version lands
 * on its own row's page: PostgreSQL then logs only the bytes that differ from the old version (about 80 bytes
 * instead of 700–1,000), and the next visit to the page prunes the old version. The table takes about twice the
 * space; events are purged after EVENT_RETENTION_DAYS. Rows already written keep their pages.
 */
export class EventsNumberedInPlace1763900001900 implements MigrationInterface {
  name = 'EventsNumberedInPlace1763900001900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_event SET (fillfactor = 45)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_event RESET (fillfactor)`);
  }
}
