import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * Whether a taken key answers its stored answer or IDEMPOTENCY_KEY_REUSED is decided once, in ledger_key_answer:
 * it compared the fingerprints to choose whether to render the stored bill, and then ledger_replay compared them
 * again to choose the answer. Reinstalls ledger_key_answer and ledger_run (a comment moves) and drops ledger_replay
 * (its file stays in functions/retired/: migration OneWritePath installs it on a fresh database). Same answers.
 */
export class ReplayDecidedOnce1763900002700 implements MigrationInterface {
  name = 'ReplayDecidedOnce1763900002700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(functionSql('ledger_key_answer'));
    await q.query(functionSql('ledger_run'));
    await q.query(`DROP FUNCTION ledger_replay(text, jsonb, text)`);
  }

  async down(): Promise<void> {
    throw new Error('ReplayDecidedOnce1763900002700 cannot be undone: restore from a backup taken before it');
  }
}
