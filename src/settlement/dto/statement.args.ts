import { ArgsType, Field } from '@nestjs/graphql';
import { Matches } from 'class-validator';
import { AppIdArgs } from '../../common/dto/app-id.args';

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

@ArgsType()
export class MonthArgs {
  @Field({ description: 'YYYY-MM' })
  @Matches(MONTH_PATTERN, { message: 'must be a month written YYYY-MM' })
  month: string;
}

@ArgsType()
export class StatementArgs extends AppIdArgs {
  @Field({ description: 'YYYY-MM' })
  @Matches(MONTH_PATTERN, { message: 'must be a month written YYYY-MM' })
  month: string;
}
