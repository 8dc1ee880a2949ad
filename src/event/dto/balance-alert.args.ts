import { ArgsType, Field } from '@nestjs/graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AppIdArgs } from '../../common/dto/app-id.args';
import { SafeInt } from '../../common/graphql/scalars';

@ArgsType()
export class BalanceAlertArgs extends AppIdArgs {
  @Field(() => SafeInt, {
    nullable: true,
    description: 'BALANCE_LOW when a posting takes available from at least this to under it; null removes the alert.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  below?: number | null;
}
