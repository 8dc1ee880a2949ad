/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AccountFields on Account {\n    appId\n    balance\n    held\n    available\n    frozen\n    version\n  }\n": typeof types.AccountFieldsFragmentDoc,
    "\n  fragment BillFields on Bill {\n    id\n    billId\n    orderNo\n    channel\n    amount\n    oldBalance\n    newBalance\n    status\n    retCode\n    createdAt\n    pricing {\n      total\n      discount\n      items {\n        name\n        quantity\n        unitPrice\n      }\n    }\n  }\n": typeof types.BillFieldsFragmentDoc,
    "\n  mutation AssignSerials($count: Int!) {\n    assignSerials(count: $count)\n  }\n": typeof types.AssignSerialsDocument,
    "\n  mutation OpenAccount($appId: Int!) {\n    openAccount(appId: $appId) {\n      ...AccountFields\n    }\n  }\n": typeof types.OpenAccountDocument,
    "\n  mutation Recharge($input: RechargeInput!) {\n    recharge(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n": typeof types.RechargeDocument,
    "\n  mutation Pay($input: PayInput!) {\n    pay(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n": typeof types.PayDocument,
    "\n  mutation Rollback($input: RollbackInput!) {\n    rollback(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n": typeof types.RollbackDocument,
    "\n  query GetAccount($appId: Int!) {\n    account(appId: $appId) {\n      ...AccountFields\n    }\n  }\n": typeof types.GetAccountDocument,
    "\n  query Bills($appId: Int!, $first: Int!, $after: String) {\n    bills(appId: $appId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...BillFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.BillsDocument,
};
const documents: Documents = {
    "\n  fragment AccountFields on Account {\n    appId\n    balance\n    held\n    available\n    frozen\n    version\n  }\n": types.AccountFieldsFragmentDoc,
    "\n  fragment BillFields on Bill {\n    id\n    billId\n    orderNo\n    channel\n    amount\n    oldBalance\n    newBalance\n    status\n    retCode\n    createdAt\n    pricing {\n      total\n      discount\n      items {\n        name\n        quantity\n        unitPrice\n      }\n    }\n  }\n": types.BillFieldsFragmentDoc,
    "\n  mutation AssignSerials($count: Int!) {\n    assignSerials(count: $count)\n  }\n": types.AssignSerialsDocument,
    "\n  mutation OpenAccount($appId: Int!) {\n    openAccount(appId: $appId) {\n      ...AccountFields\n    }\n  }\n": types.OpenAccountDocument,
    "\n  mutation Recharge($input: RechargeInput!) {\n    recharge(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n": types.RechargeDocument,
    "\n  mutation Pay($input: PayInput!) {\n    pay(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n": types.PayDocument,
    "\n  mutation Rollback($input: RollbackInput!) {\n    rollback(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n": types.RollbackDocument,
    "\n  query GetAccount($appId: Int!) {\n    account(appId: $appId) {\n      ...AccountFields\n    }\n  }\n": types.GetAccountDocument,
    "\n  query Bills($appId: Int!, $first: Int!, $after: String) {\n    bills(appId: $appId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...BillFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.BillsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccountFields on Account {\n    appId\n    balance\n    held\n    available\n    frozen\n    version\n  }\n"): (typeof documents)["\n  fragment AccountFields on Account {\n    appId\n    balance\n    held\n    available\n    frozen\n    version\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BillFields on Bill {\n    id\n    billId\n    orderNo\n    channel\n    amount\n    oldBalance\n    newBalance\n    status\n    retCode\n    createdAt\n    pricing {\n      total\n      discount\n      items {\n        name\n        quantity\n        unitPrice\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment BillFields on Bill {\n    id\n    billId\n    orderNo\n    channel\n    amount\n    oldBalance\n    newBalance\n    status\n    retCode\n    createdAt\n    pricing {\n      total\n      discount\n      items {\n        name\n        quantity\n        unitPrice\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignSerials($count: Int!) {\n    assignSerials(count: $count)\n  }\n"): (typeof documents)["\n  mutation AssignSerials($count: Int!) {\n    assignSerials(count: $count)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenAccount($appId: Int!) {\n    openAccount(appId: $appId) {\n      ...AccountFields\n    }\n  }\n"): (typeof documents)["\n  mutation OpenAccount($appId: Int!) {\n    openAccount(appId: $appId) {\n      ...AccountFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Recharge($input: RechargeInput!) {\n    recharge(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Recharge($input: RechargeInput!) {\n    recharge(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Pay($input: PayInput!) {\n    pay(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Pay($input: PayInput!) {\n    pay(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Rollback($input: RollbackInput!) {\n    rollback(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Rollback($input: RollbackInput!) {\n    rollback(input: $input) {\n      replayed\n      bill {\n        ...BillFields\n      }\n      account {\n        ...AccountFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetAccount($appId: Int!) {\n    account(appId: $appId) {\n      ...AccountFields\n    }\n  }\n"): (typeof documents)["\n  query GetAccount($appId: Int!) {\n    account(appId: $appId) {\n      ...AccountFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Bills($appId: Int!, $first: Int!, $after: String) {\n    bills(appId: $appId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...BillFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Bills($appId: Int!, $first: Int!, $after: String) {\n    bills(appId: $appId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...BillFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;