import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { id key } }`;
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) }';
const READ = '{ account(appId: 401) { appId } }';
/** Instance A's AUTH_CACHE_MS: long enough that the request right after a revocation is inside it. */
const CACHE_MS = 10_000;

/**
 * AUTH_CACHE_MS: an instance reuses a found key's principal for that long. A revocation
 * is immediate on the instance that ran it (auth.spec.ts) and bounded by the delay on
 * the others.
 */
describe('API-key principal cache', () => {
  let db: TestDatabase;
  let cached: Service; // AUTH_CACHE_MS = CACHE_MS
  let uncached: Service; // AUTH_CACHE_MS = 0

  beforeAll(async () => {
    ({
      db,
      services: [cached, uncached],
    } = await openLedger({ AUTH_CACHE_MS: String(CACHE_MS) }, { AUTH_CACHE_MS: '0' }));
    await fundedAccount(cached, 401, 1_000);
  });

  afterAll(() => closeLedger(db, [cached, uncached]));

  it('a key revoked on another instance is refused there once AUTH_CACHE_MS has passed, at once where it is 0', async () => {
    const k = ok(await cached.gql(CREATE_KEY, { i: { role: 'APP', appId: 401, label: 'cached' } })).createApiKey;
    // Both instances accept the key; the cached one keeps its principal from now on.
    expect(ok(await cached.gql(READ, {}, k.key)).account.appId).toBe(401);
    expect(ok(await uncached.gql(READ, {}, k.key)).account.appId).toBe(401);

    const revokedFrom = Date.now();
    expect(ok(await uncached.gql(REVOKE, { id: k.id })).revokeApiKey).toBe(true);

    // Without a cache: refused at once.
    expect(errorOf(await uncached.gql(READ, {}, k.key)).code).toBe('UNAUTHENTICATED');
    // With one: still served from it inside the delay (this is the delay that the README documents)...
    expect(ok(await cached.gql(READ, {}, k.key)).account.appId).toBe(401);
    // ...and refused once the delay has passed since the revocation (the entry is older than that).
    await new Promise((r) => setTimeout(r, Math.max(0, revokedFrom + CACHE_MS + 50 - Date.now())));
    expect(errorOf(await cached.gql(READ, {}, k.key)).code).toBe('UNAUTHENTICATED');
  });

  it('a key created on another instance works at once on this one; a wrong key is refused', async () => {
    const k = ok(await uncached.gql(CREATE_KEY, { i: { role: 'APP', appId: 401, label: 'new' } })).createApiKey;
    expect(ok(await cached.gql(READ, {}, k.key)).account.appId).toBe(401);
    expect(errorOf(await cached.gql(READ, {}, `${k.key}x`)).code).toBe('UNAUTHENTICATED');
  });
});
