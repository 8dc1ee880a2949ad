/**
 * What Apollo Sandbox opens with (development only): a working first
 * session, so a newcomer sees an answer before reading any docs. The
 * Authorization header is there to fill in with the admin key that
 * `npm start` prints (or any key from createApiKey).
 */
export const SANDBOX_INITIAL_STATE = {
  document: `# Fill in the Authorization header below (Headers tab) with the admin key
# that npm start printed, then run the operations in order.
# The schema's descriptions (Documentation tab) say who may call what,
# whether it is idempotent and which error codes it answers.

mutation OpenAccount($appId: Int!) {
  openAccount(appId: $appId) { appId balance available version }
}

mutation Recharge($appId: Int!) {
  recharge(input: { orderNo: "sandbox-recharge-1", appId: $appId, amount: 10000 }) {
    replayed
    bill { billId channel amount newBalance }
    account { balance available version }
  }
}

# Run it twice: the second answer is the first one replayed (replayed: true).
mutation Pay($appId: Int!) {
  pay(input: { orderNo: "sandbox-pay-1", appId: $appId, amount: 1500, info: "first pay" }) {
    replayed
    bill { billId channel amount oldBalance newBalance }
    account { balance available version }
  }
}

query Bills($appId: Int!) {
  account(appId: $appId) { balance held available frozen version }
  bills(appId: $appId, first: 10) {
    edges { node { billId orderNo channel amount status retCode createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  variables: { appId: 1 },
  headers: { Authorization: 'Bearer <the admin key printed by npm start>' },
};
