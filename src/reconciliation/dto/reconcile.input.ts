import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';
import { SafeInt } from '../../common/graphql/scalars';
import { MAX_APP_ID, MAX_CENTS, ORDER_NO_PATTERN } from '../../common/validation';

/** The most entries one `reconcile` call takes; the CLI streams files of any size. */
export const MAX_RECON_ENTRIES = 100_000;

@InputType({ description: "One of the caller's successful operations." })
export class ReconEntryInput {
  @Field({ description: 'The orderNo of a successful operation.' })
  @Matches(ORDER_NO_PATTERN, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . : -' })
  orderNo: string;

  @Field(() => SafeInt, { description: 'Signed as the ledger signs it: credits positive, debits negative.' })
  @IsInt()
  @Min(-MAX_CENTS)
  @Max(MAX_CENTS)
  amount: number;
}

@InputType({ description: "A day of the caller's successful operations of one app." })
export class ReconcileInput {
  @Field(() => Int, { description: "The app's id, 1 .. 2^31-1." })
  @IsInt()
  @Min(1)
  @Max(MAX_APP_ID)
  appId: number;

  @Field({ description: 'The day, YYYY-MM-DD, in LEDGER_TIMEZONE.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date written YYYY-MM-DD' })
  date: string;

  @Field(() => [ReconEntryInput], {
    description: `The caller's successful operations of that day (at most ${MAX_RECON_ENTRIES}).`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_RECON_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => ReconEntryInput)
  entries: ReconEntryInput[];
}
