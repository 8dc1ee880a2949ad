import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';

@ObjectType({ description: "One difference between our bills and the caller's list." })
export class ReconItem {
  @Field() orderNo: string;
  @Field(() => SafeInt, { nullable: true, description: 'Our bill (absent when only they have it).' }) billId:
    number | null;
  @Field(() => SafeInt, { nullable: true }) ourAmount: number | null;
  @Field(() => SafeInt, { nullable: true }) theirAmount: number | null;
}

@ObjectType({ description: "A day of our money-moving SUCCESS bills against the caller's list." })
export class ReconciliationReport {
  @Field(() => Int) appId: number;
  @Field({ description: 'YYYY-MM-DD, in LEDGER_TIMEZONE.' }) date: string;
  @Field(() => Int) matched: number;
  @Field(() => [ReconItem]) onlyOurs: ReconItem[];
  @Field(() => [ReconItem]) onlyTheirs: ReconItem[];
  @Field(() => [ReconItem]) mismatched: ReconItem[];
  @Field({ description: 'True when every entry matched and nothing is missing on either side.' }) ok: boolean;
}

export type ReconKind = 'OURS' | 'THEIRS' | 'MISMATCH';

export interface ReconCounts {
  matched: number;
  onlyOurs: number;
  onlyTheirs: number;
  mismatched: number;
}
