import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '../bill/bill.model';
import { toDate } from '../common/graphql/dates';
import { JSONScalar, SafeInt } from '../common/graphql/scalars';

export enum LedgerEventType {
  BILL_RECORDED = 'BILL_RECORDED',
  ACCOUNT_OPENED = 'ACCOUNT_OPENED',
  ACCOUNT_FROZEN = 'ACCOUNT_FROZEN',
  ACCOUNT_UNFROZEN = 'ACCOUNT_UNFROZEN',
  COUPON_ISSUED = 'COUPON_ISSUED',
  BALANCE_LOW = 'BALANCE_LOW',
  STATEMENT_READY = 'STATEMENT_READY',
  RECONCILIATION_COMPLETED = 'RECONCILIATION_COMPLETED',
}
registerEnumType(LedgerEventType, {
  name: 'LedgerEventType',
  description: 'What happened. Each event is written in the same transaction as the fact it reports.',
  valuesMap: {
    BILL_RECORDED: { description: 'A bill was written (SUCCESS or FAILED, any channel). data: { bill, account }.' },
    ACCOUNT_OPENED: { description: 'An account was opened. data: { account }.' },
    ACCOUNT_FROZEN: { description: 'An account was frozen (by an admin or for arrears). data: { account }.' },
    ACCOUNT_UNFROZEN: { description: 'An account was unfrozen. data: { account }.' },
    COUPON_ISSUED: { description: 'A coupon was granted. data: { coupon }.' },
    BALANCE_LOW: {
      description:
        'A posting took available from at least the alert threshold to under it. data: { appId, available, below, billId }.',
    },
    STATEMENT_READY: { description: 'Settlement wrote a monthly statement. data: { statement }.' },
    RECONCILIATION_COMPLETED: {
      description:
        'A reconciliation finished. data: { appId, date, ok, matched, onlyOurs, onlyTheirs, mismatched } (counts).',
    },
  },
});

export interface LedgerEventRow {
  id: number;
  seq: number;
  type: LedgerEventType;
  app_id: number;
  data: unknown;
  created_at: Date | string;
}

@ObjectType({ description: 'One business event of the ledger, in the feed (and the body of a webhook).' })
export class LedgerEvent {
  @Field(() => ID, { description: 'Unique and stable: the `webhook-id` of every delivery attempt of this event.' })
  id: string;
  @Field(() => SafeInt, { description: 'Position in the feed: events become visible in seq order, without gaps.' })
  seq: number;
  @Field(() => LedgerEventType, { description: 'What happened.' }) type: LedgerEventType;
  @Field(() => Int, { description: 'The app the event belongs to.' }) appId: number;
  @Field({ description: 'When the fact was written.' }) createdAt: Date;
  @Field(() => JSONScalar, {
    description: 'The fact, with the field names of the GraphQL types (Bill, Account, Coupon, Statement).',
  })
  data: unknown;

  static fromRow(r: LedgerEventRow): LedgerEvent {
    return Object.assign(new LedgerEvent(), {
      id: String(r.id),
      seq: r.seq,
      type: r.type,
      appId: r.app_id,
      createdAt: toDate(r.created_at),
      data: r.data,
    });
  }

  /** The JSON a webhook posts: the feed's node. */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      seq: this.seq,
      type: this.type,
      appId: this.appId,
      createdAt: this.createdAt.toISOString(),
      data: this.data,
    };
  }
}

@ObjectType({ description: 'An event and its cursor.' })
export class LedgerEventEdge {
  @Field({ description: 'Pass as `after` to continue after this event.' }) cursor: string;
  @Field(() => LedgerEvent, { description: 'The event.' }) node: LedgerEvent;
}

@ObjectType({ description: 'Events in seq order (oldest first), in Relay-style cursor pages.' })
export class LedgerEventConnection {
  @Field(() => [LedgerEventEdge], { description: 'The page.' }) edges: LedgerEventEdge[];
  @Field(() => PageInfo, {
    description: 'endCursor is the last event of the page, or the `after` given when the page is empty.',
  })
  pageInfo: PageInfo;
}
