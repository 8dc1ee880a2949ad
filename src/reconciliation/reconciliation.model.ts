import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';

@ObjectType({ description: "One difference between our bills and the caller's list." })
export class ReconItem {
  @Field({ description: 'The order number.' }) orderNo: string;
  @Field(() => SafeInt, { nullable: true, description: 'Our bill (absent when only they have it).' }) billId:
    number | null;
  @Field(() => SafeInt, { nullable: true, description: 'Our signed amount (absent when only they have it).' })
  ourAmount: number | null;
  @Field(() => SafeInt, { nullable: true, description: 'Their amount (absent when only we have it).' }) theirAmount:
    number | null;
}

@ObjectType({ description: "A day of our money-moving SUCCESS bills against the caller's list." })
export class ReconciliationReport {
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'YYYY-MM-DD, in LEDGER_TIMEZONE.' }) date: string;
  @Field(() => Int, { description: 'Entries that match our bills.' }) matched: number;
  @Field(() => [ReconItem], { description: 'Our bills missing from their list.' }) onlyOurs: ReconItem[];
  @Field(() => [ReconItem], { description: 'Their entries we have no bill for.' }) onlyTheirs: ReconItem[];
  @Field(() => [ReconItem], { description: 'Same orderNo, different amounts.' }) mismatched: ReconItem[];
  @Field({ description: 'True when every entry matched and nothing is missing on either side.' }) ok: boolean;
}

export type ReconKind = 'OURS' | 'THEIRS' | 'MISMATCH';

export interface ReconCounts {
  matched: number;
  onlyOurs: number;
  onlyTheirs: number;
  mismatched: number;
}
