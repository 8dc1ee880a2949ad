import { Field, Int, ObjectType } from '@nestjs/graphql';
import { toDate } from '../common/graphql/dates';
import { SafeInt } from '../common/graphql/scalars';
import type { AccountEntity } from './account.entity';

export interface AccountRow {
  app_id: number;
  balance: number;
  held: number;
  frozen: boolean;
  freeze_reason: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

@ObjectType({ description: "An app's prepaid account. Money is in cents." })
export class Account {
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field(() => SafeInt, { description: 'Cents in the account; never negative.' }) balance: number;
  @Field(() => SafeInt, { description: 'Reserved by open holds.' }) held: number;
  @Field(() => SafeInt, { description: 'balance − held: what a pay or hold may use.' }) available: number;
  @Field({ description: 'True while pays and holds are refused.' }) frozen: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was frozen; null when not frozen.' }) freezeReason:
    string | null;
  @Field(() => Int, { description: 'Grows by one on every change of the account.' }) version: number;
  @Field({ description: 'When the account was opened.' }) createdAt: Date;
  @Field({ description: 'When it last changed.' }) updatedAt: Date;

  /** From the entity (reads through TypeORM). */
  static of(e: AccountEntity): Account {
    return Object.assign(new Account(), e, { available: e.balance - e.held });
  }

  /** From a raw row (the write path's hand-written SQL). */
  static fromRow(r: AccountRow): Account {
    return Object.assign(new Account(), {
      appId: r.app_id,
      balance: r.balance,
      held: r.held,
      available: r.balance - r.held,
      frozen: r.frozen,
      freezeReason: r.freeze_reason,
      version: r.version,
      createdAt: toDate(r.created_at),
      updatedAt: toDate(r.updated_at),
    });
  }
}
