import { TestDatabase } from './support/database';
import { allSequenced, waitFor } from './support/events';
import { errorOf, fundedAccount, ok, orderNo, PAY } from './support/ledger';
import { ADMIN_KEY, Service, startService } from './support/service';
import { closeLedger, openLedger } from './support/suite';
import { Receiver } from './support/webhook-receiver';

const ENV = {
  EVENT_SEQUENCER_INTERVAL_MS: '50',
  WEBHOOK_DISPATCH_INTERVAL_MS: '50',
  WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms',
  WEBHOOK_TIMEOUT_MS: '2000',
};

const CREATE = `mutation($i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $i) { secret endpoint { id url appId types enabled createdAt } } }`;

/**
 * Webhooks (issue 16): Standard Webhooks signatures, retries with the same
 * webhook-id, 410, and delivery after a crash. Two instances dispatch at once.
 */
describe('webhooks', () => {
  let db: TestDatabase;
  let services: Service[];
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    // One after the other: two services booting at once on a loaded machine can miss the start-up limit.
    ({ db, services } = await openLedger(ENV));
    services.push(await startService(db.url, ENV));
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await closeLedger(db, services ?? []);
  });

  async function receiver(answer: ConstructorParameters<typeof Receiver>[0]): Promise<Receiver> {
    const r = await new Receiver(answer).start();
    receivers.push(r);
    return r;
  }

  async function endpoint(r: Receiver, input: Record<string, unknown>, key = ADMIN_KEY): Promise<string> {
    const created = ok(
      await services[0].gql(CREATE, { i: { url: r.url + '/hook', ...input } }, key),
    ).createWebhookEndpoint;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    r.secret = created.secret;
    return created.endpoint.id;
  }

  async function eventIds(appId: number): Promise<string[]> {
    await allSequenced(db.pool);
    const { rows } = await db.pool.query('SELECT id::text AS id FROM ledger_event WHERE app_id = $1 ORDER BY seq', [
      appId,
    ]);
    return rows.map((r: { id: string }) => r.id);
  }

  it('signed POSTs of the feed node; 500 on a first attempt is retried with the same webhook-id', async () => {
    const [a, b] = services;
    await fundedAccount(a, 1701, 100_000);
    // An endpoint gets the events sequenced after it is created: the funding's are sequenced first.
    await allSequenced(db.pool);
    // Every third event's first attempt fails.
    const failFirst = new Set<string>();
    const r = await receiver((msg, attempt) => {
      if (attempt === 1 && Number(msg.id) % 3 === 0) {
        failFirst.add(msg.id);
        return 500;
      }
      return 204;
    });
    const id = await endpoint(r, { appId: 1701, types: ['BILL_RECORDED'] });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).gql(PAY, { input: { orderNo: orderNo('wh'), appId: 1701, amount: 10 + i } }),
      ),
    );
    const ids = (await eventIds(1701)).slice(2); // the account's opening and funding came before the endpoint
    const count = (e: string) => r.received.filter((m) => m.id === e).length;
    await waitFor('every delivery', async () => ids.every((e) => count(e) >= (failFirst.has(e) ? 2 : 1)));

    expect(r.received.every((m) => m.signatureOk)).toBe(true);
    expect(failFirst.size).toBeGreaterThan(0);
    for (const e of failFirst) {
      // The same webhook-id again, the same body.
      const attempts = r.received.filter((m) => m.id === e);
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts[1].body).toEqual(attempts[0].body);
    }
    // The body is the feed's node.
    const feed = ok(
      await a.gql(`{ events(appId: 1701, first: 1000) { edges { node { id seq type appId createdAt data } } } }`),
    );
    const node = feed.events.edges.find((e: any) => e.node.id === ids[0]).node;
    expect(r.received.find((m) => m.id === ids[0])!.body).toEqual(node);
    expect(new Set(r.received.map((m) => m.body.type))).toEqual(new Set(['BILL_RECORDED']));

    await waitFor('DELIVERED rows', async () => {
      const page = ok(
        await b.gql(
          `query($e: ID!) { webhookDeliveries(endpointId: $e, first: 1000) { edges { node { eventId status attempts lastStatus } } } }`,
          { e: id },
        ),
      );
      const nodes = page.webhookDeliveries.edges.map((x: any) => x.node);
      return nodes.length === ids.length && nodes.every((n: any) => n.status === 'DELIVERED') && nodes;
    });
  });

  it('a 410 answer disables the endpoint; APP keys manage only their own endpoints', async () => {
    const [a] = services;
    await fundedAccount(a, 1702, 1000);
    // An endpoint gets the events sequenced after it is created: the funding's are sequenced first.
    await allSequenced(db.pool);
    const r = await receiver(() => 410);
    const appKey = ok(await a.gql(`mutation { createApiKey(input: {role: APP, appId: 1702, label: "s"}) { key } }`))
      .createApiKey.key;
    const id = await endpoint(r, {}, appKey);
    const listed = ok(await a.gql(`{ webhookEndpoints { id appId enabled } }`, {}, appKey)).webhookEndpoints;
    expect(listed).toEqual([{ id, appId: 1702, enabled: true }]);
    ok(await a.gql(PAY, { input: { orderNo: orderNo('gone'), appId: 1702, amount: 5 } }));
    const ep = await waitFor('the endpoint disabled', async () => {
      const [e] = ok(await a.gql(`{ webhookEndpoints(appId: 1702) { id enabled disabledReason } }`)).webhookEndpoints;
      return !e.enabled && e;
    });
    expect(ep.disabledReason).toMatch(/410/);
    expect(r.received).toHaveLength(1);

    const other = await a.gql(`{ webhookEndpoints(appId: 1701) { id } }`, {}, appKey);
    expect(errorOf(other).code).toBe('FORBIDDEN');
    const adminEndpoint = await endpoint(r, { appId: 1701 });
    const foreign = await a.gql(
      `mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id } }`,
      { id: adminEndpoint },
      appKey,
    );
    expect(errorOf(foreign).code).toBe('FORBIDDEN');
    ok(await a.gql(`mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id } }`, { id: adminEndpoint }));
  });

  it('a service killed mid-delivery: after a restart every event is delivered, with the same webhook-id', async () => {
    const [a] = services;
    await fundedAccount(a, 1703, 10_000);
    // An endpoint gets the events sequenced after it is created: the funding's are sequenced first.
    await allSequenced(db.pool);
    let holding = true;
    const r = await receiver(() => (holding ? 'hold' : 200));
    await endpoint(r, { appId: 1703 });
    await Promise.all(
      Array.from({ length: 10 }, () => a.gql(PAY, { input: { orderNo: orderNo('kill'), appId: 1703, amount: 3 } })),
    );
    const ids = (await eventIds(1703)).slice(2);
    await waitFor('deliveries in flight', async () => r.holding >= 3);
    const inFlight = new Set(r.received.map((m) => m.id));
    await Promise.all(services.map((s) => s.stop('SIGKILL')));
    holding = false;
    services = [await startService(db.url, ENV)];

    await waitFor('every event delivered after the restart', async () =>
      ids.every((e) => r.received.filter((m) => m.id === e).length >= (inFlight.has(e) ? 2 : 1)),
    );
    for (const e of inFlight) {
      const attempts = r.received.filter((m) => m.id === e);
      expect(attempts[attempts.length - 1].body).toEqual(attempts[0].body);
    }
    expect(r.received.every((m) => m.signatureOk)).toBe(true);
    await waitFor('all DELIVERED', async () => {
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM webhook_delivery d JOIN ledger_event e ON e.id = d.event_id
          WHERE e.app_id = 1703 AND d.status <> 'DELIVERED'`,
      );
      return rows[0].n === 0;
    });
  });
});
