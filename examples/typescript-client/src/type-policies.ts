import type { InMemoryCache, TypePolicies } from '@apollo/client';
import { AccountFields } from './operations';

/**
 * How the cache stores the ledger's objects.
 *
 * Account: one live entry per app, `Account:<appId>`, so every answer that
 * carries an account (a pay's MoneyResult, `account(appId)`) updates the same
 * entry. But a replayed answer (`replayed: true`, a retry of an earlier
 * orderNo) is a snapshot of the moment of its first answer, and writing it
 * over the live entry would roll the balance back. So an incoming Account
 * whose `version` (it grows on every change) is lower than the cached one is
 * stored apart, as `Account:<appId>@<version>`: the replayed result still
 * reads as it was, and the live entry keeps the newest state. (Merge
 * functions cannot do this: Apollo merges an entity's fields one by one,
 * without the incoming version.) Select `version` wherever you select an
 * Account; without it an answer counts as live.
 *
 * Bill: `id` is unique (billId is shared by a pay and its rollback).
 * Query.bills keeps Apollo's default: each page is cached under its own
 * arguments (`after` included), so reading page N gives exactly page N. A UI
 * that scrolls endlessly would use `relayStylePagination(['appId', 'channel',
 * 'from', 'to'])` from @apollo/client/utilities instead, and fetchMore.
 */
export function ledgerTypePolicies(cache: () => InMemoryCache): TypePolicies {
  return {
    Account: {
      keyFields: (object) => {
        const appId = object.appId as number | undefined;
        if (appId === undefined) return false;
        const live = `Account:${appId}`;
        const version = object.version as number | undefined;
        if (version === undefined) return live;
        const cached = cache().readFragment({ id: live, fragment: AccountFields, fragmentName: 'AccountFields' });
        return cached && cached.version > version ? `${live}@${version}` : live;
      },
    },
    Bill: { keyFields: ['id'] },
    Query: {
      fields: {
        // account(appId) reads the live entry, so it is answered from the cache
        // once any operation has brought the account (a pay's MoneyResult too).
        account: { read: (_, { args, toReference }) => toReference(`Account:${args!.appId}`) },
      },
    },
  };
}
