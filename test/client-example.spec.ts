import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { createLedgerClient } from '../examples/typescript-client/src/client';
import { runDemo } from '../examples/typescript-client/src/demo';
import { Ledger } from '../examples/typescript-client/src/ledger';
import { AccountFields } from '../examples/typescript-client/src/operations';
import { newOrderNo } from '../examples/typescript-client/src/order-no';
import { isRetryable, withRetry } from '../examples/typescript-client/src/retry';
import { TestDatabase } from './support/database';
import { DroppingProxy } from './support/dropping-proxy';
import { ADMIN_KEY, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const EXAMPLE = join(__dirname, '..', 'examples', 'typescript-client');

/**
 * examples/typescript-client (issue 13, "a typed client kit, tested"): its
 * generated code is current, it type-checks, and its demo session runs
 * against the real service, with the answer of a pay lost on the way.
 */
describe('the typed client kit (examples/typescript-client)', () => {
  it('has generated code that matches schema.graphql and its operations', () => {
    // `--check` generates in memory and fails on any difference from the committed files.
    const codegen = join(__dirname, '..', 'node_modules', '.bin', 'graphql-codegen');
    const config = join(EXAMPLE, 'codegen.ts');
    expect(() =>
      execFileSync(process.execPath, [codegen, '--config', config, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('type-checks against the generated types', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    expect(() =>
      execFileSync(process.execPath, [tsc, '-p', join(EXAMPLE, 'tsconfig.json')], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('retries faults, REQUEST_IN_PROGRESS and lost answers, never a positive retCode', () => {
    const gqlError = (code: string, retCode: number) =>
      new CombinedGraphQLErrors({ errors: [{ message: code, extensions: { code, retCode } }] });
    expect(isRetryable(gqlError('DB_WRITE_ERROR', -3))).toBe(true);
    expect(isRetryable(gqlError('SERVER_BUSY', -1))).toBe(true);
    expect(isRetryable(gqlError('REQUEST_IN_PROGRESS', 11))).toBe(true);
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
    for (const [code, retCode] of [
      ['INSUFFICIENT_BALANCE', 3],
      ['INVALID_ARGUMENT', 6],
      ['ACCOUNT_LOCKED', 5],
      ['IDEMPOTENCY_KEY_REUSED', 10],
      ['UNAUTHENTICATED', 2],
    ] as const) {
      expect(isRetryable(gqlError(code, retCode))).toBe(false);
    }
    expect(isRetryable(new Error('a bug'))).toBe(false);
  });

  it('withRetry sends again until an answer worth keeping, within its attempts, never after a positive retCode', async () => {
    const gqlError = (code: string, retCode: number) =>
      new CombinedGraphQLErrors({ errors: [{ message: code, extensions: { code, retCode } }] });
    const scripted = (outcomes: unknown[]) => {
      let calls = 0;
      const send = async () => {
        const o = outcomes[calls++];
        if (o instanceof Error) throw o;
        return o;
      };
      return { send, calls: () => calls };
    };
    const fast = { baseDelayMs: 1, maxDelayMs: 2 };

    const faults = scripted([gqlError('DB_WRITE_ERROR', -3), gqlError('REQUEST_IN_PROGRESS', 11), 'paid']);
    await expect(withRetry(faults.send, fast)).resolves.toBe('paid');
    expect(faults.calls()).toBe(3);

    const insufficient = gqlError('INSUFFICIENT_BALANCE', 3);
    const refused = scripted([insufficient, 'never']);
    await expect(withRetry(refused.send, fast)).rejects.toBe(insufficient);
    expect(refused.calls()).toBe(1);

    const lost = () => new TypeError('fetch failed');
    const down = scripted([lost(), lost(), lost(), 'too late']);
    await expect(withRetry(down.send, { ...fast, attempts: 3 })).rejects.toThrow('fetch failed');
    expect(down.calls()).toBe(3);
  });

  describe('against the service', () => {
    let db: TestDatabase;
    let svc: Service;
    let proxy: DroppingProxy;

    beforeAll(async () => {
      ({
        db,
        services: [svc],
      } = await openLedger());
      proxy = await new DroppingProxy(svc.url).start();
    });

    afterAll(async () => {
      await proxy?.stop();
      await closeLedger(db, [svc]);
    });

    it('opens, recharges, pays (one answer lost and retried), rolls back, replays and pages', async () => {
      proxy.dropNextAnswer('Pay');
      const retries: unknown[] = [];
      const appId = 1301;
      const r = await runDemo({
        url: proxy.url,
        apiKey: ADMIN_KEY,
        appId,
        retry: { baseDelayMs: 10, onRetry: (e) => retries.push(e) },
      });

      // The first pay's answer was lost after it was applied; the retry, with the same orderNo,
      // got the first answer back instead of paying again.
      expect(proxy.dropped).toEqual(['Pay']);
      expect(retries).toHaveLength(1);
      expect((retries[0] as Error).name).toBe('TypeError');
      expect(r.firstPay.replayed).toBe(true);
      const { rows: payBills } = await db.pool.query(
        `SELECT amount, status FROM bill WHERE app_id = $1 AND order_no = $2 AND channel = 'PAY'`,
        [appId, r.firstPay.bill.orderNo],
      );
      expect(payBills).toEqual([{ amount: -1500, status: 'SUCCESS' }]);

      expect(r.recharge.bill.orderNo).toMatch(/^recharge-\d{9,}$/);
      expect(r.secondPay.account.balance).toBe(10_000 - 1_500 - 700);
      expect(r.rollback.bill).toMatchObject({ channel: 'ROLLBACK', amount: 1_500, billId: r.firstPay.bill.billId });
      expect(r.account).toMatchObject({ balance: 9_300, available: 9_300 });

      // The late replay answers the snapshot of the first answer (an older version)...
      expect(r.replay.replayed).toBe(true);
      expect(r.replay.account.balance).toBe(8_500);
      expect(r.replay.account.version).toBeLessThan(r.account.version);
      // ...and the cache's account was not rolled back to it.
      expect(r.cached).toMatchObject({ balance: 9_300, version: r.account.version });

      // Pages of 2, newest first, every bill once.
      expect(r.pages.map((p) => p.length)).toEqual([2, 2]);
      expect(r.pages.flat().map((b) => b.channel)).toEqual(['ROLLBACK', 'PAY', 'PAY', 'RECHARGE']);
      expect(proxy.seen.filter((op) => op === 'Pay')).toHaveLength(4); // lost, retried, second, late replay
    });

    it('needs its Account policy: plain normalisation by appId lets a late replay roll the cache back', async () => {
      const plain = new ApolloClient({
        link: new HttpLink({ uri: proxy.url, headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
        cache: new InMemoryCache({ typePolicies: { Account: { keyFields: ['appId'] } } }),
      });
      const kit = createLedgerClient({ url: proxy.url, apiKey: ADMIN_KEY });
      await new Ledger(kit).openAccount(1304);
      await new Ledger(kit).recharge({ orderNo: newOrderNo(), appId: 1304, amount: 1_000 });
      const first = { orderNo: newOrderNo(), appId: 1304, amount: 100 };
      const balances = [];
      for (const client of [plain, kit]) {
        const ledger = new Ledger(client);
        await ledger.pay(first); // applied (or, for the second client, replayed)
        await ledger.pay({ orderNo: newOrderNo(), appId: 1304, amount: 10 });
        await ledger.pay(first); // a late retry: the snapshot of the first answer
        balances.push(
          client.cache.readFragment({
            id: client.cache.identify({ __typename: 'Account', appId: 1304 })!,
            fragment: AccountFields,
            fragmentName: 'AccountFields',
          })?.balance,
        );
      }
      // plain: the replay's 900 overwrote the live 890; the kit keeps the live account (880 after its own second pay).
      expect(balances).toEqual([900, 880]);
    });

    it('does not retry a refused pay (a positive retCode is the answer)', async () => {
      const ledger = new Ledger(createLedgerClient({ url: proxy.url, apiKey: ADMIN_KEY }), { baseDelayMs: 10 });
      await ledger.openAccount(1302);
      const before = proxy.seen.length;
      const orderNo = newOrderNo();
      const err = await ledger.pay({ orderNo, appId: 1302, amount: 1 }).catch((e: unknown) => e);
      expect(CombinedGraphQLErrors.is(err) && err.errors[0].extensions).toMatchObject({
        code: 'INSUFFICIENT_BALANCE',
        retCode: 3,
      });
      expect(proxy.seen.length - before).toBe(1);
    });

    it('reads a pay by items as typed pricing, also when replayed', async () => {
      await svc.gql(`mutation { setPrice(input: {name: "kit-db", price: 250, billing: MONTHLY}) { name } }`);
      await svc.gql(`mutation { openAccount(appId: 1303) { appId } }`);
      await svc.gql(`mutation { recharge(input: {orderNo: "r", appId: 1303, amount: 5000}) { replayed } }`);
      const pay = `mutation { pay(input: {orderNo: "p", appId: 1303, items: [{name: "kit-db", quantity: 3}]}) {
        replayed bill { amount pricing { total discount couponId month hold { id }
          items { name quantity unitPrice subtotal billing billId } } } } }`;
      const first = await svc.gql(pay);
      const again = await svc.gql(pay);
      const pricing = {
        total: 750,
        discount: null,
        couponId: null,
        month: null,
        hold: null,
        items: [{ name: 'kit-db', quantity: 3, unitPrice: 250, subtotal: 750, billing: 'MONTHLY', billId: null }],
      };
      expect(first.data!.pay).toEqual({ replayed: false, bill: { amount: -750, pricing } });
      expect(again.data!.pay).toEqual({ replayed: true, bill: { amount: -750, pricing } });
    });

    it('places a hold whose bill reads its typed hold pricing; a recharge has none', async () => {
      const r = await svc.gql(`mutation { hold(input: {orderNo: "h", appId: 1303, amount: 100, ttlSeconds: 60}) {
        hold { billId } } }`);
      const bills = await svc.gql(
        `query($b: SafeInt!) { bill(appId: 1303, billId: $b) { channel pricing { hold {
        id amount ttlSeconds captured } } } }`,
        { b: r.data!.hold.hold.billId },
      );
      expect(bills.data!.bill).toEqual([
        { channel: 'HOLD', pricing: { hold: { id: null, amount: 100, ttlSeconds: 60, captured: null } } },
      ]);
      const recharge = await svc.gql(
        `{ bills(appId: 1303, channel: RECHARGE) { edges { node { pricing { total } } } } }`,
      );
      expect(recharge.data!.bills.edges).toEqual([{ node: { pricing: null } }]);
    });
  });
});

describe('Apollo Sandbox (development)', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ NODE_ENV: 'development' }));
  });

  afterAll(() => closeLedger(db, [svc], { audit: false }));

  it('opens with an example operation, its variables and the Authorization header to fill in', async () => {
    const res = await fetch(`${svc.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const config = JSON.parse(/var embeddedSandboxConfig = (\{.*\});$/m.exec(html)![1]) as {
      initialState: { document: string; variables: unknown; headers: Record<string, string> };
    };
    expect(config.initialState.document).toMatch(/mutation Pay\(\$appId: Int!\)/);
    expect(config.initialState.variables).toEqual({ appId: 1 });
    expect(config.initialState.headers.Authorization).toMatch(/^Bearer <.*admin key.*>$/);
  });
});
