import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { ledgerTypePolicies } from './type-policies';

export interface LedgerClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:3000/graphql. */
  url: string;
  /** An API key (createApiKey, or the admin key `npm start` prints). */
  apiKey: string;
  /** Defaults to the global fetch (Node 18+, browsers). */
  fetch?: typeof fetch;
}

/** An Apollo Client for the ledger: bearer key, and the cache policies of type-policies.ts. */
export function createLedgerClient(o: LedgerClientOptions): ApolloClient {
  const cache: InMemoryCache = new InMemoryCache({ typePolicies: ledgerTypePolicies(() => cache) });
  return new ApolloClient({
    link: new HttpLink({ uri: o.url, headers: { authorization: `Bearer ${o.apiKey}` }, fetch: o.fetch }),
    cache,
  });
}
