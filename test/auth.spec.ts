import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, RECHARGE } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { id key role appId label } }`;

describe('authentication and roles', () => {
  let db: TestDatabase;
  let svc: Service;
  let appKey: string;
  let appKeyId: string;
  let operatorKey: string;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
    await fundedAccount(svc, 301, 1_000);
    await fundedAccount(svc, 302, 1_000);
    const app = ok(await svc.gql(CREATE_KEY, { i: { role: 'APP', appId: 301, label: 'shop-301' } })).createApiKey;
    appKey = app.key;
    appKeyId = app.id;
    operatorKey = ok(await svc.gql(CREATE_KEY, { i: { role: 'OPERATOR', label: 'marketing' } })).createApiKey.key;
  });

  afterAll(() => closeLedger(db, [svc]));

  it('no key, or an unknown key, answers UNAUTHENTICATED', async () => {
    expect(errorOf(await svc.gql('{ account(appId: 301) { balance } }', {}, null))).toMatchObject({
      code: 'UNAUTHENTICATED',
      retCode: 2,
    });
    expect(errorOf(await svc.gql('{ account(appId: 301) { balance } }', {}, 'lk_not-a-key'))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const r = await svc.gql(PAY, { input: { orderNo: orderNo('anon'), appId: 301, amount: 1 } }, null);
    expect(errorOf(r).code).toBe('UNAUTHENTICATED');
    const bal = await db.pool.query('SELECT balance FROM account WHERE app_id = 301');
    expect(bal.rows[0].balance).toBe(1_000);
  });

  it('keys are stored only as a hash', async () => {
    const rows = await db.pool.query('SELECT key_hash FROM api_key WHERE id = $1', [appKeyId]);
    expect(rows.rows[0].key_hash).not.toContain(appKey);
    expect(rows.rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an APP key reads and pays on its own app, records its label, and may not touch another app', async () => {
    expect(ok(await svc.gql('{ account(appId: 301) { balance } }', {}, appKey)).account.balance).toBe(1_000);
    const pay = ok(await svc.gql(PAY, { input: { orderNo: orderNo('own'), appId: 301, amount: 10 } }, appKey)).pay;
    expect(pay.bill.user).toBe('shop-301');
    expect(errorOf(await svc.gql('{ account(appId: 302) { balance } }', {}, appKey))).toMatchObject({
      code: 'FORBIDDEN',
      retCode: 2,
    });
    expect(errorOf(await svc.gql('{ bills(appId: 302) { edges { cursor } } }', {}, appKey)).code).toBe('FORBIDDEN');
    const other = await svc.gql(PAY, { input: { orderNo: orderNo('other'), appId: 302, amount: 10 } }, appKey);
    expect(errorOf(other).code).toBe('FORBIDDEN');
    expect((await db.pool.query('SELECT balance FROM account WHERE app_id = 302')).rows[0].balance).toBe(1_000);
  });

  it('an APP key can never recharge, freeze, set prices or create keys', async () => {
    const attempts = [
      svc.gql(RECHARGE, { input: { orderNo: orderNo('self'), appId: 301, amount: 1_000_000 } }, appKey),
      svc.gql('mutation { freezeAccount(appId: 301, reason: "x") { frozen } }', {}, appKey),
      svc.gql('mutation { setPrice(input: { name: "web", price: 0 }) { name } }', {}, appKey),
      svc.gql(CREATE_KEY, { i: { role: 'ADMIN', label: 'escalate' } }, appKey),
    ];
    for (const r of await Promise.all(attempts)) expect(errorOf(r)).toMatchObject({ code: 'FORBIDDEN', retCode: 2 });
    expect((await db.pool.query('SELECT balance FROM account WHERE app_id = 301')).rows[0].balance).toBe(990);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM price')).rows[0].n).toBe(0);
  });

  it('an OPERATOR key reads any account and assigns serials, but cannot pay or recharge', async () => {
    expect(ok(await svc.gql('{ account(appId: 302) { appId } }', {}, operatorKey)).account.appId).toBe(302);
    const serials = ok(await svc.gql('mutation { assignSerials(count: 3) }', {}, operatorKey)).assignSerials;
    expect(serials).toHaveLength(3);
    expect(
      errorOf(await svc.gql(PAY, { input: { orderNo: orderNo('op'), appId: 302, amount: 1 } }, operatorKey)).code,
    ).toBe('FORBIDDEN');
    expect(
      errorOf(await svc.gql(RECHARGE, { input: { orderNo: orderNo('op'), appId: 302, amount: 1 } }, operatorKey)).code,
    ).toBe('FORBIDDEN');
  });

  it('a revoked key stops working at once', async () => {
    const k = ok(await svc.gql(CREATE_KEY, { i: { role: 'APP', appId: 302, label: 'temp' } })).createApiKey;
    expect(ok(await svc.gql('{ account(appId: 302) { appId } }', {}, k.key)).account.appId).toBe(302);
    expect(ok(await svc.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: k.id })).revokeApiKey).toBe(true);
    expect(errorOf(await svc.gql('{ account(appId: 302) { appId } }', {}, k.key)).code).toBe('UNAUTHENTICATED');
    const unknown = await svc.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(errorOf(unknown).code).toBe('NOT_FOUND');
  });

  it('an APP key needs an appId, other roles must not have one', async () => {
    expect(errorOf(await svc.gql(CREATE_KEY, { i: { role: 'APP', label: 'x' } }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'input.appId',
    });
    expect(errorOf(await svc.gql(CREATE_KEY, { i: { role: 'OPERATOR', appId: 5, label: 'x' } })).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
