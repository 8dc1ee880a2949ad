/** The GraphQL documents a model run sends (the answers it checks and stores for replay comparison). */

const ACCOUNT = 'account { appId balance held available frozen }';
const BILL =
  'bill { id billId appId orderNo channel amount oldBalance newBalance status retCode info user priceInfo srcIp createdAt }';
const HOLD = 'hold { id appId orderNo billId amount captured status expiresAt createdAt endedAt }';
const COUPON = 'coupon { id appId templateCode discount minSpend status orderNo expiresAt usedByBillId }';

export const ORDER_DOCS: Record<string, string> = {
  recharge: `mutation($input: RechargeInput!) { recharge(input: $input) { replayed ${BILL} ${ACCOUNT} } }`,
  pay: `mutation($input: PayInput!) { pay(input: $input) { replayed ${BILL} ${ACCOUNT} } }`,
  rollback: `mutation($input: RollbackInput!) { rollback(input: $input) { replayed ${BILL} ${ACCOUNT} } }`,
  hold: `mutation($input: HoldInput!) { hold(input: $input) { replayed ${HOLD} ${ACCOUNT} } }`,
  captureHold: `mutation($input: CaptureHoldInput!) { captureHold(input: $input) { replayed ${BILL} ${ACCOUNT} } }`,
  releaseHold: `mutation($input: ReleaseHoldInput!) { releaseHold(input: $input) { replayed ${HOLD} ${ACCOUNT} } }`,
  issueCoupon: `mutation($input: IssueCouponInput!) { issueCoupon(input: $input) { replayed ${COUPON} } }`,
};

const ACCOUNT_FIELDS = 'appId balance held available frozen freezeReason';
export const OPEN = `mutation($a: Int!) { openAccount(appId: $a) { ${ACCOUNT_FIELDS} } }`;
export const FREEZE = `mutation($a: Int!, $r: String!) { freezeAccount(appId: $a, reason: $r) { ${ACCOUNT_FIELDS} } }`;
export const UNFREEZE = `mutation($a: Int!) { unfreezeAccount(appId: $a) { ${ACCOUNT_FIELDS} } }`;
export const SET_PRICE = `mutation($input: SetPriceInput!) { setPrice(input: $input) { name price billing } }`;
export const TEMPLATE = `mutation($input: CouponTemplateInput!) { createCouponTemplate(input: $input) { code discount minSpend stock issued perAppLimit validDays } }`;
export const ACQUIRE = `mutation($a: Int!, $o: String!, $t: Int!) { acquireAppLock(appId: $a, owner: $o, ttlSeconds: $t) { appId locked owner token expiresAt } }`;
export const RELEASE_LOCK = `mutation($a: Int!, $t: SafeInt!) { releaseAppLock(appId: $a, token: $t) { appId locked owner token expiresAt } }`;
export const SETTLE = `mutation($m: String!) { settleMonth(month: $m) { month accounts settled alreadySettled locked charged totalCharged frozen } }`;
export const HOLD_STATUS = `query($a: Int!, $id: ID!) { hold(appId: $a, id: $id) { id status captured } }`;
export const AUDIT = `query($a: Int!) { auditAccount(appId: $a) { appId ok balance billSum held openHoldSum breaks } }`;
