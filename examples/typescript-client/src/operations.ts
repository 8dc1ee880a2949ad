import { graphql } from './gql';

/**
 * Every operation the kit sends. Account is always read with `version` (the
 * cache policy in type-policies.ts needs it to tell a replayed snapshot from
 * the live account).
 */
export const AccountFields = graphql(`
  fragment AccountFields on Account {
    appId
    balance
    held
    available
    frozen
    version
  }
`);

export const BillFields = graphql(`
  fragment BillFields on Bill {
    id
    billId
    orderNo
    channel
    amount
    oldBalance
    newBalance
    status
    retCode
    createdAt
    pricing {
      total
      discount
      items {
        name
        quantity
        unitPrice
      }
    }
  }
`);

export const AssignSerials = graphql(`
  mutation AssignSerials($count: Int!) {
    assignSerials(count: $count)
  }
`);

export const OpenAccount = graphql(`
  mutation OpenAccount($appId: Int!) {
    openAccount(appId: $appId) {
      ...AccountFields
    }
  }
`);

export const Recharge = graphql(`
  mutation Recharge($input: RechargeInput!) {
    recharge(input: $input) {
      replayed
      bill {
        ...BillFields
      }
      account {
        ...AccountFields
      }
    }
  }
`);

export const Pay = graphql(`
  mutation Pay($input: PayInput!) {
    pay(input: $input) {
      replayed
      bill {
        ...BillFields
      }
      account {
        ...AccountFields
      }
    }
  }
`);

export const Rollback = graphql(`
  mutation Rollback($input: RollbackInput!) {
    rollback(input: $input) {
      replayed
      bill {
        ...BillFields
      }
      account {
        ...AccountFields
      }
    }
  }
`);

export const GetAccount = graphql(`
  query GetAccount($appId: Int!) {
    account(appId: $appId) {
      ...AccountFields
    }
  }
`);

export const Bills = graphql(`
  query Bills($appId: Int!, $first: Int!, $after: String) {
    bills(appId: $appId, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...BillFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
