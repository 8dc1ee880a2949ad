import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { toDate } from '../common/graphql/dates';
import { JSONScalar, SafeInt } from '../common/graphql/scalars';

export enum BillChannel {
  RECHARGE = 'RECHARGE',
  PAY = 'PAY',
  ROLLBACK = 'ROLLBACK',
  HOLD = 'HOLD',
  CAPTURE = 'CAPTURE',
  RELEASE = 'RELEASE',
  SETTLEMENT = 'SETTLEMENT',
}
registerEnumType(BillChannel, {
  name: 'BillChannel',
  description: 'What kind of operation wrote a bill.',
  valuesMap: {
    RECHARGE: { description: 'Money in (recharge or the gateway callback): amount > 0.' },
    PAY: { description: 'A pay: amount < 0 (0 for free items or a full discount).' },
    ROLLBACK: { description: "A pay's refund: amount > 0, the pay's billId." },
    HOLD: { description: 'A hold placed: amount 0 (the money is reserved, not moved).' },
    CAPTURE: { description: "A hold captured: amount < 0, the hold's billId." },
    RELEASE: { description: "A hold released or expired: amount 0, the hold's billId." },
    SETTLEMENT: { description: "A month's MONTHLY subscriptions charged by the settlement." },
  },
});

export enum BillStatus {
  SUCCESS = 'SUCCESS',
  FAILED = 'FAILED',
}
registerEnumType(BillStatus, {
  name: 'BillStatus',
  description: 'Whether a bill was applied.',
  valuesMap: {
    SUCCESS: { description: 'Applied: the balance moved by amount.' },
    FAILED: { description: 'Refused (retCode says why) and recorded; the balance did not move.' },
  },
});

export interface BillRow {
  id: number;
  bill_id: number;
  app_id: number;
  order_no: string;
  channel: BillChannel;
  amount: number;
  old_balance: number;
  new_balance: number;
  status: BillStatus;
  ret_code: number;
  info: string | null;
  bill_user: string | null;
  price_info: unknown;
  src_ip: string | null;
  created_at: Date | string;
}

@ObjectType({ description: 'One ledger entry. Bills are written once and never updated.' })
export class Bill {
  @Field(() => ID, { description: 'The row id, unique (billId is shared by a pay and its rollback).' }) id: string;
  @Field(() => SafeInt, { description: 'The serial (Assign module); a pay and its rollback share it.' }) billId: number;
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: "The caller's order number: with appId, the idempotency key." }) orderNo: string;
  @Field(() => BillChannel, { description: 'What kind of operation wrote it.' }) channel: BillChannel;
  @Field(() => SafeInt, { description: 'Signed cents: + credit, − debit; 0 on HOLD and RELEASE bills.' })
  amount: number;
  @Field(() => SafeInt, { description: 'The balance before.' }) oldBalance: number;
  @Field(() => SafeInt, { description: 'The balance after (equal to oldBalance on a FAILED bill).' })
  newBalance: number;
  @Field(() => BillStatus, { description: 'SUCCESS: applied; FAILED: refused and recorded.' }) status: BillStatus;
  @Field(() => Int, {
    description:
      'The retCode of the operation: 0 success, else the refusal (3 balance too low, 4 frozen...; see ErrorCode).',
  })
  retCode: number;
  @Field(() => String, { nullable: true, description: "The caller's note (a rollback's reason)." }) info: string | null;
  @Field(() => String, { nullable: true, description: "Who: the input's user, or the API key's label." }) user:
    string | null;
  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Unit prices, coupon and discount used, as they were (untyped; `pricing` is the typed form).',
  })
  priceInfo: unknown;
  @Field(() => String, { nullable: true, description: 'The client IP; null for background jobs.' }) srcIp:
    string | null;
  @Field({ description: 'When it was written.' }) createdAt: Date;

  static fromRow(r: BillRow): Bill {
    return Object.assign(new Bill(), {
      id: String(r.id),
      billId: r.bill_id,
      appId: r.app_id,
      orderNo: r.order_no,
      channel: r.channel,
      amount: r.amount,
      oldBalance: r.old_balance,
      newBalance: r.new_balance,
      status: r.status,
      retCode: r.ret_code,
      info: r.info,
      user: r.bill_user,
      priceInfo: r.price_info ?? null,
      srcIp: r.src_ip,
      createdAt: toDate(r.created_at),
    });
  }
}

@ObjectType({ description: 'A bill and its cursor.' })
export class BillEdge {
  @Field({ description: 'Pass as `after` to get the bills after this one.' }) cursor: string;
  @Field(() => Bill, { description: 'The bill.' }) node: Bill;
}

@ObjectType({ description: 'Where a page ends and whether more follow.' })
export class PageInfo {
  @Field({ description: 'True when older bills follow.' }) hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: "The last bill's cursor; null on an empty page." }) endCursor:
    string | null;
}

@ObjectType({ description: 'Bills, newest first, in Relay-style cursor pages.' })
export class BillConnection {
  @Field(() => [BillEdge], { description: "This page's bills." }) edges: BillEdge[];
  @Field(() => PageInfo, { description: 'Where this page ends.' }) pageInfo: PageInfo;
}
