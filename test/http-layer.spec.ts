import { TestDatabase } from './support/database';
import { fundedAccount, orderNo, PAY } from './support/ledger';
import { ADMIN_KEY, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * The HTTP layer (Fastify, src/common/http/http-errors.ts): what it keeps from the
 * Express one besides the GraphQL limits (graphql-limits.spec.ts): request ids in the
 * logs, the body limit on form bodies, body errors in the GraphQL error shape, the
 * client IP from a local proxy's X-Forwarded-For.
 */
describe('HTTP layer', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ LOG_LEVEL: 'info' }));
  });

  afterAll(() => closeLedger(db, [svc]));

  const notify = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${svc.url}/notify/recharge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  it("a request's log lines carry its X-Request-Id", async () => {
    const res = await notify('agentBillNo=b-1&appId=5&amount=10&timestamp=1&sign=x', { 'x-request-id': 'req-http-1' });
    expect(res.status).toBe(400); // no GATEWAY_SECRET: refused, and logged as a warning
    const line = () =>
      svc.output
        .join('')
        .split('\n')
        .find((l) => l.includes('gateway recharge refused'));
    for (let i = 0; i < 100 && !line(); i++) await new Promise((r) => setTimeout(r, 50)); // the log is written asynchronously
    expect(JSON.parse(line()!)).toMatchObject({ reqId: 'req-http-1', context: 'GatewayController' });
  });

  it('a form body over 1 MB: 413 INVALID_ARGUMENT BODY_TOO_LARGE', async () => {
    const res = await notify(`agentBillNo=${'x'.repeat(1_100_000)}`);
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].extensions).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'BODY_TOO_LARGE',
      limitBytes: 1048576,
    });
  });

  it('an unsupported content type on /graphql is refused with a GraphQL error, not run', async () => {
    const res = await fetch(`${svc.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<query/>',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(((await res.json()) as any).errors[0].extensions).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6 });
  });

  it('behind a local proxy, the bill records the client IP from X-Forwarded-For', async () => {
    await fundedAccount(svc, 601, 100);
    const res = await fetch(`${svc.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ADMIN_KEY}`,
        'x-forwarded-for': '203.0.113.7',
      },
      body: JSON.stringify({ query: PAY, variables: { input: { orderNo: orderNo('xff'), appId: 601, amount: 1 } } }),
    });
    expect(((await res.json()) as any).data.pay.bill.srcIp).toBe('203.0.113.7');
  });
});
