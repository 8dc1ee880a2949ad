import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Account } from '../account/account.model';
import { toDate } from '../common/graphql/dates';
import { SafeInt } from '../common/graphql/scalars';

export enum HoldStatus {
  OPEN = 'OPEN',
  CAPTURED = 'CAPTURED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(HoldStatus, {
  name: 'HoldStatus',
  description: 'Where a hold stands; a hold ends exactly once.',
  valuesMap: {
    OPEN: { description: 'Reserving its amount.' },
    CAPTURED: { description: 'Debited (captured cents; the rest released).' },
    RELEASED: { description: 'Ended without debit by releaseHold.' },
    EXPIRED: { description: 'Ended without debit at its deadline.' },
  },
});

export interface HoldRow {
  app_id: number;
  id: number;
  order_no: string;
  bill_id: number;
  amount: number;
  captured: number;
  status: HoldStatus;
  expires_at: Date | string;
  created_at: Date | string;
  ended_at: Date | string | null;
}

@ObjectType({ description: 'A pre-authorisation: money reserved from available until captured, released or expired.' })
export class Hold {
  @Field(() => ID, { description: "The hold's id (holdId in captureHold and releaseHold)." }) id: string;
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'The orderNo of the hold request.' }) orderNo: string;
  @Field(() => SafeInt, { description: 'The serial of its HOLD bill; its CAPTURE or RELEASE bill shares it.' })
  billId: number;
  @Field(() => SafeInt, { description: 'Cents reserved.' }) amount: number;
  @Field(() => SafeInt, { description: 'Cents debited by the capture (0 unless CAPTURED).' }) captured: number;
  @Field(() => HoldStatus, { description: 'OPEN until captured, released or expired.' }) status: HoldStatus;
  @Field({ description: 'When it expires unless captured or released first.' }) expiresAt: Date;
  @Field({ description: 'When it was placed.' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it was captured, released or expired.' })
  endedAt: Date | null;

  static fromRow(r: HoldRow): Hold {
    return Object.assign(new Hold(), {
      id: String(r.id),
      appId: r.app_id,
      orderNo: r.order_no,
      billId: r.bill_id,
      amount: r.amount,
      captured: r.captured,
      status: r.status,
      expiresAt: toDate(r.expires_at),
      createdAt: toDate(r.created_at),
      endedAt: toDate(r.ended_at),
    });
  }
}

@ObjectType({ description: 'What hold and releaseHold answer: the hold and the account after it.' })
export class HoldResult {
  @Field(() => Hold, { description: 'The hold after this operation (a replay: as it was then).' }) hold: Hold;
  @Field(() => Account, { description: 'The account right after this operation (a replay: as it was then).' })
  account: Account;
  @Field({ description: 'True when this is the stored answer of an earlier request with the same orderNo.' })
  replayed: boolean;
}
