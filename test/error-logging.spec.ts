import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, orderNo, PAY } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * SPEC §8: expected refusals are logged at info or warn without a stack; only
 * faults are errors. Nest's exception handler logged every LedgerError
 * (first answers and replays alike) at error level with its stack (seen in
 * the model-based test's error-log excerpt).
 */
describe('logging of expected refusals', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ LOG_LEVEL: 'info' }));
  });

  afterAll(() => closeLedger(db, [svc]));

  it('a refused pay, its replay and bad input are logged at info without a stack, never as errors', async () => {
    await fundedAccount(svc, 951, 100);
    const input = { orderNo: orderNo('poor'), appId: 951, amount: 500 };
    expect(errorOf(await svc.gql(PAY, { input }))).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(errorOf(await svc.gql(PAY, { input }))).toMatchObject({ code: 'INSUFFICIENT_BALANCE', replayed: true });
    expect(errorOf(await svc.gql(PAY, { input: { ...input, orderNo: orderNo('bad'), amount: 0 } }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    // The log lines are written as the answers go out; wait for the third.
    const lines = async () => {
      for (let i = 0; i < 50; i++) {
        const text = svc.output.join('').split('\n');
        const refusals = text.filter((l) => /"code":"(INSUFFICIENT_BALANCE|INVALID_ARGUMENT)"/.test(l));
        if (refusals.length >= 3) return { text, refusals };
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`refusals not logged:\n${svc.output.join('')}`);
    };
    const { text, refusals } = await lines();
    for (const l of refusals) {
      expect(JSON.parse(l)).toMatchObject({ level: 30 });
      expect(l).not.toContain('"stack"');
    }
    expect(text.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });
});
