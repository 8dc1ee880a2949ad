import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';

@ObjectType({ description: "An account's monthly statement, written once by the settlement of that month." })
export class Statement {
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'YYYY-MM, in LEDGER_TIMEZONE.' }) month: string;
  @Field(() => SafeInt, { description: 'The balance when the month began.' }) openingBalance: number;
  @Field(() => SafeInt, { description: "The sum of the month's SUCCESS credits." }) credits: number;
  @Field(() => SafeInt, { description: "The sum of the month's SUCCESS debits, as a positive number." }) debits: number;
  @Field(() => SafeInt, { description: 'The balance when the month ended (before its settlement charge).' })
  closingBalance: number;
  @Field(() => Int, { description: "The month's SUCCESS bills." }) billCount: number;
  @Field(() => SafeInt, { description: "What the settlement charged for the month's MONTHLY subscriptions." })
  recurringCharge: number;
  @Field(() => SafeInt, { description: 'What the settlement could not charge (the account was then frozen).' })
  arrears: number;
  @Field({ description: 'closingBalance = openingBalance + credits - debits, as the ledger says.' }) verified: boolean;
  @Field(() => SafeInt, { nullable: true, description: 'The SETTLEMENT bill (none when nothing was due).' })
  settlementBillId: number | null;
  @Field({ description: 'When the settlement wrote it.' }) createdAt: Date;
}

@ObjectType({ description: 'What one settlement run did. A second run of the same month settles nothing new.' })
export class SettlementReport {
  @Field({ description: 'YYYY-MM, in LEDGER_TIMEZONE.' }) month: string;
  @Field(() => Int, { description: 'Accounts that existed before the month ended.' }) accounts: number;
  @Field(() => Int, { description: 'Statements written by this run.' }) settled: number;
  @Field(() => Int, { description: 'Accounts already settled for the month (by an earlier or concurrent run).' })
  alreadySettled: number;
  @Field(() => Int, { description: 'Accounts whose lease was busy: not settled now; run again to settle them.' })
  locked: number;
  @Field(() => Int, { description: 'Accounts charged by this run.' }) charged: number;
  @Field(() => SafeInt, { description: 'Cents charged by this run.' }) totalCharged: number;
  @Field(() => Int, { description: 'Accounts frozen for arrears by this run.' }) frozen: number;
}
