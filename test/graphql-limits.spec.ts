import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY } from './support/ledger';
import { ADMIN_KEY, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/** POST a raw body to /graphql (batches, oversized bodies). */
async function post(
  svc: Service,
  body: string,
  key: string | null = ADMIN_KEY,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${svc.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
  });
  return { status: res.status, json: await res.json() };
}

async function accountExists(db: TestDatabase, appId: number): Promise<boolean> {
  const r = await db.pool.query('SELECT 1 FROM account WHERE app_id = $1', [appId]);
  return r.rowCount === 1;
}

async function createKey(svc: Service, role: 'APP' | 'OPERATOR', appId?: number): Promise<string> {
  const r = await svc.gql(`mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ key } }`, {
    i: { role, label: `${role.toLowerCase()}-${appId ?? 'ops'}`, ...(appId ? { appId } : {}) },
  });
  return ok(r).createApiKey.key;
}

const OPEN = (appId: number) => `openAccount(appId: ${appId}) { appId }`;
const BILL_FIELDS =
  'id billId appId orderNo channel amount oldBalance newBalance status retCode info user priceInfo srcIp createdAt';
const BILLS_PAGE = (alias: string) =>
  `${alias}: bills(appId: 301, first: 500) { edges { cursor node { ${BILL_FIELDS} } } pageInfo { hasNextPage endCursor } }`;

describe('GraphQL limits, production mode and rate limits', () => {
  let db: TestDatabase;
  let dev: Service;
  let prod: Service;

  beforeAll(async () => {
    ({
      db,
      services: [dev, prod],
    } = await openLedger({ RATE_LIMIT_PER_MINUTE: '5' }, { NODE_ENV: 'production' }));
  });

  afterAll(() => closeLedger(db, [dev, prod]));

  describe('refused before any resolver runs', () => {
    it('a document deeper than 10 levels: INVALID_ARGUMENT LIMIT_MAX_DEPTH, the mutation in it not run', async () => {
      // Inline fragments count as levels: a valid mutation 12 levels deep.
      const deep = `mutation { openAccount(appId: 901) { ${'... on Account { '.repeat(10)}appId${' }'.repeat(10)} } }`;
      const r = await dev.gql(deep);
      expect(r.data ?? null).toBeNull();
      expect(errorOf(r)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6, reason: 'LIMIT_MAX_DEPTH' });
      expect(r.errors![0].message).toMatch(/depth limit of 10/);
      expect(await accountExists(db, 901)).toBe(false);
      // The same mutation at depth 10 runs.
      const ten = `mutation { openAccount(appId: 901) { ${'... on Account { '.repeat(8)}appId${' }'.repeat(8)} } }`;
      expect(ok(await dev.gql(ten)).openAccount.appId).toBe(901);
    });

    it('more than 15 aliases: LIMIT_MAX_ALIASES, none of the 16 mutations run', async () => {
      const sixteen = `mutation { ${Array.from({ length: 16 }, (_, i) => `a${i}: ${OPEN(910 + i)}`).join(' ')} }`;
      const r = await dev.gql(sixteen);
      expect(errorOf(r)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6, reason: 'LIMIT_MAX_ALIASES' });
      const created = await db.pool.query('SELECT count(*)::int AS n FROM account WHERE app_id BETWEEN 910 AND 925');
      expect(created.rows[0].n).toBe(0);
      const fifteen = `mutation { ${Array.from({ length: 15 }, (_, i) => `a${i}: ${OPEN(910 + i)}`).join(' ')} }`;
      expect(Object.keys(ok(await dev.gql(fifteen)))).toHaveLength(15);
    });

    it('cost: one full 500-bill page fits the budget, two in one document do not', async () => {
      await fundedAccount(dev, 301, 1_000);
      const one = ok(await dev.gql(`{ ${BILLS_PAGE('p1')} }`));
      expect(one.p1.edges).toHaveLength(1);
      const two = await dev.gql(`{ ${BILLS_PAGE('p1')} ${BILLS_PAGE('p2')} }`);
      expect(two.data ?? null).toBeNull();
      expect(errorOf(two)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6, reason: 'LIMIT_MAX_COST' });
      expect(two.errors![0].message).toMatch(/Cost limit of 50000 exceeded/);
    });

    it('more than 2000 tokens: a parse error naming the limit', async () => {
      const r = await dev.gql(`{ ${'__typename '.repeat(2100)}}`);
      expect(errorOf(r)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6, reason: 'GRAPHQL_PARSE_FAILED' });
      expect(r.errors![0].message).toMatch(/more th(at|an) 2000 tokens/);
    });

    it('a batch of 10 operations runs; a batch of 11 is refused whole with 400', async () => {
      const batch = (n: number, base: number) =>
        JSON.stringify(Array.from({ length: n }, (_, i) => ({ query: `mutation { ${OPEN(base + i)} }` })));
      const ten = await post(dev, batch(10, 930));
      expect(ten.status).toBe(200);
      expect(ten.json.map((r: any) => r.data.openAccount.appId)).toEqual(Array.from({ length: 10 }, (_, i) => 930 + i));
      const eleven = await post(dev, batch(11, 950));
      expect(eleven.status).toBe(400);
      expect(eleven.json.errors[0]).toMatchObject({
        message: expect.stringMatching(/at most 10/),
        extensions: { code: 'INVALID_ARGUMENT', retCode: 6, reason: 'BATCH_TOO_LARGE' },
      });
      const created = await db.pool.query('SELECT count(*)::int AS n FROM account WHERE app_id BETWEEN 950 AND 960');
      expect(created.rows[0].n).toBe(0);
    });

    it('a batch of pays runs each in its own transaction: a duplicate inside the batch replays', async () => {
      await fundedAccount(dev, 302, 10_000);
      const orders = Array.from({ length: 9 }, (_, i) => ({ orderNo: orderNo('batch'), appId: 302, amount: 100 + i }));
      const ops = [...orders, orders[0]].map((input) => ({ query: PAY, variables: { input } }));
      const r = await post(dev, JSON.stringify(ops));
      expect(r.status).toBe(200);
      const pays = r.json.map((x: any) => x.data.pay);
      expect(pays.filter((p: any) => p.replayed)).toHaveLength(1);
      expect(pays[9].bill).toEqual(pays[0].bill);
      const bills = await db.pool.query(
        `SELECT count(*)::int AS n, sum(amount)::int AS total FROM bill WHERE app_id = 302 AND channel = 'PAY'`,
      );
      expect(bills.rows[0]).toEqual({ n: 9, total: -orders.reduce((s, o) => s + o.amount, 0) });
    });

    it('a body over 1 MB: 413 with a GraphQL error, nothing run', async () => {
      // Variables the operation does not declare are ignored: padding.
      const body = JSON.stringify({ query: `mutation { ${OPEN(970)} }`, variables: { pad: 'x'.repeat(1_100_000) } });
      const r = await post(dev, body);
      expect(r.status).toBe(413);
      expect(r.json.errors[0]).toMatchObject({
        message: expect.stringMatching(/too large/),
        extensions: { code: 'INVALID_ARGUMENT', retCode: 6, reason: 'BODY_TOO_LARGE', limitBytes: 1048576 },
      });
      expect(await accountExists(db, 970)).toBe(false);
      // Just under the limit is fine.
      const under = JSON.stringify({ query: `mutation { ${OPEN(970)} }`, variables: { pad: 'x'.repeat(1_000_000) } });
      expect((await post(dev, under)).json.data.openAccount.appId).toBe(970);
    });

    it('malformed JSON: 400 INVALID_ARGUMENT, not an HTML page', async () => {
      const r = await post(dev, '{"query": ');
      expect(r.status).toBe(400);
      expect(r.json.errors[0].extensions).toMatchObject({
        code: 'INVALID_ARGUMENT',
        retCode: 6,
        reason: 'BAD_REQUEST_BODY',
      });
    });
  });

  describe('production mode (NODE_ENV=production)', () => {
    it('introspection is refused; in development it is served without a key', async () => {
      const q = '{ __schema { queryType { name } } }';
      expect(ok(await dev.gql(q, {}, null)).__schema.queryType.name).toBe('Query');
      const r = await prod.gql(q, {}, null);
      expect(r.data ?? null).toBeNull();
      expect(errorOf(r)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6 });
      expect(r.errors![0].message).toMatch(/introspection is not allowed/i);
    });

    it('no "Did you mean" field suggestions, no stack traces', async () => {
      const typo = '{ pricez { name } }';
      const d = await dev.gql(typo);
      expect(d.errors![0].message).toMatch(/Did you mean "prices"/);
      const p = await prod.gql(typo);
      expect(errorOf(p)).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(p.errors![0].message).not.toMatch(/Did you mean/);
      expect(p.errors![0].message).toMatch(/Cannot query field "pricez"/);
      const missing = await prod.gql('{ account(appId: 999999) { balance } }');
      expect(errorOf(missing)).toMatchObject({ code: 'NOT_FOUND', retCode: 1 });
      for (const e of [...p.errors!, ...missing.errors!]) {
        expect(e.extensions).not.toHaveProperty('stacktrace');
        expect(e.extensions).not.toHaveProperty('exception');
      }
    });

    it('Apollo Sandbox is served in development only', async () => {
      const page = (svc: Service) => fetch(`${svc.url}/graphql`, { headers: { accept: 'text/html' } });
      const d = await page(dev);
      expect(d.headers.get('content-type')).toMatch(/text\/html/);
      expect(await d.text()).toMatch(/sandbox/i);
      const p = await page(prod);
      expect(p.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      expect(await p.text()).not.toMatch(/sandbox/i);
    });

    it('{ __typename } needs no key and works in production too', async () => {
      expect(ok(await prod.gql('{ __typename }', {}, null)).__typename).toBe('Query');
    });
  });

  describe('rate limit per key (RATE_LIMIT_PER_MINUTE=5 on this instance)', () => {
    it('an APP key gets 5 operations a minute, then SERVER_BUSY with a retry hint; nothing runs', async () => {
      await fundedAccount(dev, 401, 1_000);
      await fundedAccount(dev, 402, 1_000);
      const key = await createKey(dev, 'APP', 401);
      const other = await createKey(dev, 'APP', 402);
      const read = (k: string, appId: number) =>
        dev.gql('query($a:Int!){ account(appId: $a){ balance } }', { a: appId }, k);
      const first5 = await Promise.all(Array.from({ length: 5 }, () => read(key, 401)));
      for (const r of first5) expect(ok(r).account.balance).toBe(1_000);

      const over = await read(key, 401);
      expect(errorOf(over)).toMatchObject({ code: 'SERVER_BUSY', retCode: -1 });
      const hint = over.errors![0].extensions.retryAfterSeconds as number;
      expect(hint).toBeGreaterThanOrEqual(1);
      expect(hint).toBeLessThanOrEqual(60);

      // A pay over the limit is refused before the idempotency interceptor: no bill, no dedupe row.
      const no = orderNo('limited');
      const pay = await dev.gql(PAY, { input: { orderNo: no, appId: 401, amount: 10 } }, key);
      expect(errorOf(pay)).toMatchObject({ code: 'SERVER_BUSY', retCode: -1 });
      const bills = await db.pool.query('SELECT count(*)::int AS n FROM bill WHERE app_id = 401 AND order_no = $1', [
        no,
      ]);
      const dedupe = await db.pool.query(
        'SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = 401 AND order_no = $1',
        [no],
      );
      expect([bills.rows[0].n, dedupe.rows[0].n]).toEqual([0, 0]);

      // Another key has its own budget; a bad key is still UNAUTHENTICATED, not SERVER_BUSY.
      expect(ok(await read(other, 402)).account.balance).toBe(1_000);
      expect(errorOf(await read('lk_not-a-key', 401))).toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('OPERATOR keys are limited too; ADMIN is not', async () => {
      const ops = await createKey(dev, 'OPERATOR');
      const reads = await Promise.all(Array.from({ length: 7 }, () => dev.gql('{ prices { name } }', {}, ops)));
      const codes = reads.map((r) => (r.errors ? r.errors[0].extensions.code : 'OK'));
      expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
      expect(codes.filter((c) => c === 'SERVER_BUSY')).toHaveLength(2);
      const admin = await Promise.all(Array.from({ length: 20 }, () => dev.gql('{ prices { name } }')));
      for (const r of admin) expect(ok(r).prices).toEqual([]);
    });
  });
});
