import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, HOLD, ok, orderNo, PAY, RECHARGE } from './support/ledger';
import { ADMIN_KEY, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * Issue 13: errors never lie. A client mistake is INVALID_ARGUMENT (6) naming
 * the argument path, never a negative (retryable) retCode; null and absent are
 * the same request; reads of an unknown app are NOT_FOUND.
 */
const NUL = 'a\u0000b';
const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { id key } }`;

describe('the error contract (issue 13)', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
    await fundedAccount(svc, 1301, 10_000);
  });

  afterAll(() => closeLedger(db, [svc]));

  const invalid = (field: string) => ({ code: 'INVALID_ARGUMENT', retCode: 6, field });

  describe('a NUL character in any text is INVALID_ARGUMENT naming the field, and changes nothing', () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      [
        'recharge info',
        RECHARGE,
        { input: { orderNo: orderNo('nul'), appId: 1301, amount: 5, info: NUL } },
        'input.info',
      ],
      ['pay user', PAY, { input: { orderNo: orderNo('nul'), appId: 1301, amount: 5, user: NUL } }, 'input.user'],
      [
        'pay item name',
        PAY,
        { input: { orderNo: orderNo('nul'), appId: 1301, items: [{ name: NUL, quantity: 1 }] } },
        'input.items[0].name',
      ],
      [
        'price name',
        `mutation($i: SetPriceInput!) { setPrice(input: $i) { name } }`,
        { i: { name: NUL, price: 1 } },
        'input.name',
      ],
      [
        'price info',
        `mutation($i: SetPriceInput!) { setPrice(input: $i) { name } }`,
        { i: { name: 'p13', price: 1, info: NUL } },
        'input.info',
      ],
      [
        'lease owner',
        `mutation($o: String!) { acquireAppLock(appId: 1301, owner: $o, ttlSeconds: 5) { token } }`,
        { o: NUL },
        'owner',
      ],
      ['key label', CREATE_KEY, { i: { role: 'OPERATOR', label: NUL } }, 'input.label'],
      [
        'freeze reason',
        `mutation($r: String!) { freezeAccount(appId: 1301, reason: $r) { frozen } }`,
        { r: NUL },
        'reason',
      ],
      [
        'coupon template name',
        `mutation($i: CouponTemplateInput!) { createCouponTemplate(input: $i) { code } }`,
        { i: { code: 'NUL13', name: NUL, discount: 1, stock: 1, validDays: 1 } },
        'input.name',
      ],
    ];
    it.each(cases)('%s', async (_what, query, variables, field) => {
      const before = await db.pool.query('SELECT count(*)::int AS n FROM bill');
      expect(errorOf(await svc.gql(query, variables))).toMatchObject(invalid(field));
      expect((await db.pool.query('SELECT count(*)::int AS n FROM bill')).rows[0].n).toBe(before.rows[0].n);
    });
  });

  it('an explicit null for an argument with a default is INVALID_ARGUMENT naming it', async () => {
    const bills = await svc.gql(`query($f: Int) { bills(appId: 1301, first: $f) { edges { cursor } } }`, { f: null });
    expect(errorOf(bills)).toMatchObject(invalid('first'));
    const holds = await svc.gql(`query($f: Int) { holds(appId: 1301, first: $f) { id } }`, { f: null });
    expect(errorOf(holds)).toMatchObject(invalid('first'));
    const serials = await svc.gql(`mutation($c: Int) { assignSerials(count: $c) }`, { c: null });
    expect(errorOf(serials)).toMatchObject(invalid('count'));
    const viaVariable = await svc.gql(`mutation($i: SetPriceInput!) { setPrice(input: $i) { name } }`, {
      i: { name: 'p13', price: 1, billing: null },
    });
    expect(errorOf(viaVariable)).toMatchObject(invalid('input.billing'));
    const nested = await svc.gql(
      `mutation($b: PriceBilling) { setPrice(input: { name: "p13", price: 1, billing: $b }) { name } }`,
      { b: null },
    );
    expect(errorOf(nested)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6 });
    expect(errorOf(nested).field).toMatch(/^input/);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM price WHERE name = 'p13'`)).rows[0].n).toBe(0);
  });

  it('wrong-typed literals, a null input and bad enum values name the argument path', async () => {
    const literal = (args: string) => svc.gql(`mutation { pay(input: { ${args} }) { replayed } }`);
    expect(errorOf(await literal(`orderNo: "x1", appId: 1301, amount: 1.5`))).toMatchObject(invalid('input.amount'));
    expect(errorOf(await literal(`orderNo: "x1", appId: 1301, amount: 9007199254740992`))).toMatchObject(
      invalid('input.amount'),
    );
    expect(errorOf(await literal(`orderNo: "x1", appId: 2147483648, amount: 1`))).toMatchObject(invalid('input.appId'));
    expect(errorOf(await literal(`orderNo: "x1", appId: 1301, items: [{ name: "a", quantity: 1.5 }]`))).toMatchObject(
      invalid('input.items[0].quantity'),
    );
    expect(errorOf(await literal(`appId: 1301, amount: 1`))).toMatchObject(invalid('input.orderNo'));
    expect(errorOf(await svc.gql(`mutation { pay(input: null) { replayed } }`))).toMatchObject(invalid('input'));
    expect(errorOf(await svc.gql(`{ account(appId: 2147483648) { balance } }`))).toMatchObject(invalid('appId'));
    expect(errorOf(await svc.gql(`{ holds(appId: 1301, status: NOPE) { id } }`))).toMatchObject(invalid('status'));
    expect(errorOf(await svc.gql(`{ bills { edges { cursor } } }`))).toMatchObject(invalid('appId'));
    // The same mistakes through variables name the argument, not the variable.
    expect(errorOf(await svc.gql(PAY, { input: { orderNo: 'x1', appId: 1301, amount: 1.5 } }))).toMatchObject(
      invalid('input.amount'),
    );
    expect(errorOf(await svc.gql(PAY, { input: null }))).toMatchObject(invalid('input'));
    expect(
      errorOf(await svc.gql(`query($s: HoldStatus) { holds(appId: 1301, status: $s) { id } }`, { s: 'NOPE' })),
    ).toMatchObject(invalid('status'));
    // What no argument explains is about the document.
    expect(errorOf(await svc.gql(`{ nope }`))).toMatchObject(invalid('query'));
    expect(errorOf(await svc.gql(`{ account(appId: 1 }`))).toMatchObject(invalid('query'));
  });

  it('refusals of the request itself name what was wrong with it: body, variables, query', async () => {
    const post = async (body: string) => {
      const res = await fetch(`${svc.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body,
      });
      return (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    };
    expect((await post('{"query": ')).errors[0].extensions).toMatchObject(invalid('body'));
    expect((await post('{"query": "{ __typename }", "variables": "x"}')).errors[0].extensions).toMatchObject(
      invalid('variables'),
    );
    expect((await post('{"variables": {}}')).errors[0].extensions).toMatchObject(invalid('query'));
    const deep = `{ ${'a: account(appId: 1301) { appId } '.repeat(16)} }`;
    expect(errorOf(await svc.gql(deep))).toMatchObject({ ...invalid('query'), reason: 'LIMIT_MAX_ALIASES' });
  });

  it('a pay with neither items nor amount says so (not "not both")', async () => {
    const r = await svc.gql(PAY, { input: { orderNo: orderNo('neither'), appId: 1301 } });
    expect(errorOf(r)).toMatchObject(invalid('input.items'));
    expect(r.errors![0].message).toMatch(/either items or amount/);
    expect(r.errors![0].message).not.toMatch(/not both/);
    const both = await svc.gql(PAY, {
      input: { orderNo: orderNo('both'), appId: 1301, amount: 5, items: [{ name: 'x', quantity: 1 }] },
    });
    expect(both.errors![0].message).toMatch(/not both/);
  });

  it('a retry that drops null fields is the same request (replayed), at every level', async () => {
    const o = orderNo('nulls');
    const first = ok(await svc.gql(PAY, { input: { orderNo: o, appId: 1301, amount: 7, info: null, couponId: null } }));
    const retry = ok(await svc.gql(PAY, { input: { orderNo: o, appId: 1301, amount: 7 } }));
    expect(retry.pay.replayed).toBe(true);
    expect(retry.pay.bill.billId).toBe(first.pay.bill.billId);
    const h = orderNo('nulls-hold');
    ok(await svc.gql(HOLD, { input: { orderNo: h, appId: 1301, amount: 3, ttlSeconds: 60 } }));
    const again = ok(
      await svc.gql(HOLD, { input: { orderNo: h, appId: 1301, amount: 3, ttlSeconds: 60, info: null } }),
    );
    expect(again.hold.replayed).toBe(true);
    // A different value is still a different request.
    const other = await svc.gql(PAY, { input: { orderNo: o, appId: 1301, amount: 7, info: 'x' } });
    expect(errorOf(other).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('messages say "an APP key" and "an OPERATOR key"', async () => {
    const op = ok(await svc.gql(CREATE_KEY, { i: { role: 'OPERATOR', label: 'ops-13' } })).createApiKey.key;
    const r = await svc.gql('mutation { openAccount(appId: 1302) { appId } }', {}, op);
    expect(errorOf(r).code).toBe('FORBIDDEN');
    expect(r.errors![0].message).toBe('an OPERATOR key may not do this');
    const bad = await svc.gql(CREATE_KEY, { i: { role: 'OPERATOR', appId: 1301, label: 'x' } });
    expect(bad.errors![0].message).toMatch(/an OPERATOR key is not bound/);
  });

  it('createApiKey(APP) for an app without an account is NOT_FOUND and makes no key', async () => {
    const r = await svc.gql(CREATE_KEY, { i: { role: 'APP', appId: 1399, label: 'ghost' } });
    expect(errorOf(r)).toMatchObject({ code: 'NOT_FOUND', retCode: 1 });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM api_key WHERE app_id = 1399')).rows[0].n).toBe(0);
    ok(await svc.gql('mutation { openAccount(appId: 1399) { appId } }'));
    ok(await svc.gql(CREATE_KEY, { i: { role: 'APP', appId: 1399, label: 'real' } }));
  });

  it('reads of an unknown app are NOT_FOUND; an app with nothing to list gets an empty list', async () => {
    const reads = [
      '{ account(appId: 1398) { balance } }',
      '{ bills(appId: 1398) { edges { cursor } } }',
      '{ bill(appId: 1398, billId: 100000000) { id } }',
      '{ holds(appId: 1398) { id } }',
      '{ hold(appId: 1398, id: "1") { id } }',
      '{ coupons(appId: 1398) { id } }',
      '{ entitlements(appId: 1398) { name } }',
    ];
    for (const q of reads) expect(errorOf(await svc.gql(q))).toMatchObject({ code: 'NOT_FOUND', retCode: 1 });
    ok(await svc.gql('mutation { openAccount(appId: 1398) { appId } }'));
    expect(ok(await svc.gql('{ bills(appId: 1398) { edges { cursor } } }')).bills.edges).toEqual([]);
    expect(ok(await svc.gql('{ holds(appId: 1398) { id } }')).holds).toEqual([]);
    expect(ok(await svc.gql('{ coupons(appId: 1398) { id } }')).coupons).toEqual([]);
    expect(ok(await svc.gql('{ entitlements(appId: 1398) { name } }')).entitlements).toEqual([]);
    // A serial that is not the app's is a lookup that found nothing: NOT_FOUND, like a hold.
    expect(errorOf(await svc.gql('{ bill(appId: 1398, billId: 100000000) { id } }')).code).toBe('NOT_FOUND');
  });
});
