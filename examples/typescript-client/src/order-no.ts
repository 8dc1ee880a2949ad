import { randomUUID } from 'node:crypto';
import type { ApolloClient } from '@apollo/client';
import { AssignSerials } from './operations';

/**
 * Where orderNos come from. The rule that matters: make the orderNo once, when
 * the business decides to pay, keep it with that decision (your order row),
 * and send every retry of it with the same orderNo, also after a restart.
 *
 * The default is a UUID made on the client: 36 characters of [0-9a-f-] (the
 * ledger takes 1-64 of [A-Za-z0-9_.:-]), no round trip, unique without
 * coordination. `serialOrderNos` takes numbers from the ledger's own sequence
 * (assignSerials) instead, for systems that want short numeric order numbers;
 * take a block at a time (up to 1000) so it is not a round trip per order.
 */
export function newOrderNo(prefix = ''): string {
  return prefix + randomUUID();
}

export async function serialOrderNos(client: ApolloClient, count: number, prefix = ''): Promise<string[]> {
  const { data } = await client.mutate({ mutation: AssignSerials, variables: { count } });
  return data!.assignSerials.map((serial) => `${prefix}${serial}`);
}
