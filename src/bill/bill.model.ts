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
registerEnumType(BillChannel, { name: 'BillChannel' });

export enum BillStatus {
  SUCCESS = 'SUCCESS',
  FAILED = 'FAILED',
}
registerEnumType(BillStatus, { name: 'BillStatus' });

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
  @Field(() => ID) id: string;
  @Field(() => SafeInt, { description: 'The serial (Assign module); a pay and its rollback share it.' }) billId: number;
  @Field(() => Int) appId: number;
  @Field() orderNo: string;
  @Field(() => BillChannel) channel: BillChannel;
  @Field(() => SafeInt, { description: 'Signed cents: + credit, − debit; 0 on HOLD and RELEASE bills.' })
  amount: number;
  @Field(() => SafeInt) oldBalance: number;
  @Field(() => SafeInt) newBalance: number;
  @Field(() => BillStatus) status: BillStatus;
  @Field(() => Int, { description: "The seed's return code: 0 success, 3 balance too low, 4 frozen..." })
  retCode: number;
  @Field(() => String, { nullable: true }) info: string | null;
  @Field(() => String, { nullable: true }) user: string | null;
  @Field(() => JSONScalar, { nullable: true, description: 'Unit prices, coupon and discount used, as they were.' })
  priceInfo: unknown;
  @Field(() => String, { nullable: true }) srcIp: string | null;
  @Field() createdAt: Date;

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

@ObjectType()
export class BillEdge {
  @Field() cursor: string;
  @Field(() => Bill) node: Bill;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType({ description: 'Bills, newest first, in Relay-style cursor pages.' })
export class BillConnection {
  @Field(() => [BillEdge]) edges: BillEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
