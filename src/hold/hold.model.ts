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
registerEnumType(HoldStatus, { name: 'HoldStatus' });

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
  @Field(() => ID) id: string;
  @Field(() => Int) appId: number;
  @Field() orderNo: string;
  @Field(() => SafeInt, { description: 'The serial of its HOLD bill; its CAPTURE or RELEASE bill shares it.' })
  billId: number;
  @Field(() => SafeInt, { description: 'Cents reserved.' }) amount: number;
  @Field(() => SafeInt, { description: 'Cents debited by the capture (0 unless CAPTURED).' }) captured: number;
  @Field(() => HoldStatus) status: HoldStatus;
  @Field() expiresAt: Date;
  @Field() createdAt: Date;
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

@ObjectType()
export class HoldResult {
  @Field(() => Hold) hold: Hold;
  @Field(() => Account) account: Account;
  @Field({ description: 'True when this is the stored answer of an earlier request with the same orderNo.' })
  replayed: boolean;
}
