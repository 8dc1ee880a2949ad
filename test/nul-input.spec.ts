import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * SPEC §8: text with a NUL character is bad input. PostgreSQL text cannot hold
 * NUL, so unchecked it failed the query and answered DB_WRITE_ERROR (-3), a
 * negative retCode for a client's input (found by the model-based test, seed 3).
 */
describe('text with a NUL character', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
  });

  afterAll(() => closeLedger(db, [svc]));

  it('is INVALID_ARGUMENT naming the field, in plain arguments, inputs and lists, and changes nothing', async () => {
    await fundedAccount(svc, 901, 1_000);
    const freeze = await svc.gql('mutation($r: String!) { freezeAccount(appId: 901, reason: $r) { frozen } }', {
      r: 'a\u0000b',
    });
    expect(errorOf(freeze)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6, field: 'reason' });

    const price = await svc.gql('mutation($input: SetPriceInput!) { setPrice(input: $input) { name } }', {
      input: { name: 'nul\u0000item', price: 5 },
    });
    expect(errorOf(price)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'input.name' });

    const input = { orderNo: orderNo('nul'), appId: 901, amount: 100, info: 'x\u0000' };
    expect(errorOf(await svc.gql(PAY, { input }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'input.info' });
    const items = await svc.gql(PAY, {
      input: { orderNo: orderNo('nul'), appId: 901, items: [{ name: '\u0000', quantity: 1 }] },
    });
    expect(errorOf(items)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'input.items[0].name' });

    const { rows } = await db.pool.query('SELECT balance, frozen FROM account WHERE app_id = 901');
    expect(rows[0]).toEqual({ balance: 1_000, frozen: false });
    const stored = await db.pool.query('SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = 901');
    expect(stored.rows[0].n).toBe(1); // the funding recharge only: bad input is not stored
    // Corrected, the same orderNo runs afresh.
    const pay = ok(await svc.gql(PAY, { input: { ...input, info: 'x' } })).pay;
    expect(pay).toMatchObject({ replayed: false, account: { balance: 900 } });
  });
});
