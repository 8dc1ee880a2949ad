import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';

@ObjectType({ description: 'Whether an account and its ledger agree: bill sums, balance chain, open holds.' })
export class AuditReport {
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'True when no break was found.' }) ok: boolean;
  @Field(() => SafeInt, { description: "The account's balance." }) balance: number;
  @Field(() => SafeInt, { description: 'The sum of the SUCCESS bill amounts.' }) billSum: number;
  @Field(() => SafeInt, { description: "The account's held cents." }) held: number;
  @Field(() => SafeInt, { description: 'The sum of the OPEN holds (0 while there is no hold table).' })
  openHoldSum: number;
  @Field(() => [String], { description: 'Every break found, naming the bill ids (at most 100 per account).' })
  breaks: string[];
}
