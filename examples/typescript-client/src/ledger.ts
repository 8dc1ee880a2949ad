import type { ApolloClient } from '@apollo/client';
import type { PayInput, RechargeInput, RollbackInput } from './gql/graphql';
import { Bills, GetAccount, OpenAccount, Pay, Recharge, Rollback } from './operations';
import { RetryOptions, withRetry } from './retry';

/**
 * The ledger's operations, typed by the generated documents. Every money
 * mutation goes through withRetry with its input (and so its orderNo) fixed
 * before the first attempt.
 */
export class Ledger {
  constructor(
    readonly client: ApolloClient,
    private readonly retry: RetryOptions = {},
  ) {}

  async openAccount(appId: number) {
    const { data } = await this.client.mutate({ mutation: OpenAccount, variables: { appId } });
    return data!.openAccount;
  }

  async recharge(input: RechargeInput) {
    const { data } = await withRetry(
      () => this.client.mutate({ mutation: Recharge, variables: { input } }),
      this.retry,
    );
    return data!.recharge;
  }

  async pay(input: PayInput) {
    const { data } = await withRetry(() => this.client.mutate({ mutation: Pay, variables: { input } }), this.retry);
    return data!.pay;
  }

  async rollback(input: RollbackInput) {
    const { data } = await withRetry(
      () => this.client.mutate({ mutation: Rollback, variables: { input } }),
      this.retry,
    );
    return data!.rollback;
  }

  /** The account from the server (and into the cache). */
  async account(appId: number) {
    const { data } = await withRetry(
      () => this.client.query({ query: GetAccount, variables: { appId }, fetchPolicy: 'network-only' }),
      this.retry,
    );
    return data!.account;
  }

  /** The account as the cache holds it now (no request). */
  cachedAccount(appId: number) {
    return this.client.readQuery({ query: GetAccount, variables: { appId } })?.account ?? null;
  }

  /** Every bill of an app, newest first, page by page (`first` per page). */
  async *bills(appId: number, first = 100) {
    let after: string | null = null;
    do {
      const variables: { appId: number; first: number; after: string | null } = { appId, first, after };
      const { data } = await withRetry(
        () => this.client.query({ query: Bills, variables, fetchPolicy: 'network-only' }),
        this.retry,
      );
      const page = data!.bills;
      yield page.edges.map((e) => e.node);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : null;
    } while (after !== null);
  }
}
