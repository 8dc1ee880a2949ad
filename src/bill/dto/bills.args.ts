import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { AppIdArgs } from '../../common/dto/app-id.args';
import { SafeInt } from '../../common/graphql/scalars';
import { BillChannel } from '../bill.model';

@ArgsType()
export class BillsArgs extends AppIdArgs {
  @Field(() => Int, { defaultValue: 50, description: '1..500' })
  @IsInt()
  @Min(1)
  @Max(500)
  first: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;

  @Field(() => BillChannel, { nullable: true, description: 'Only bills of this channel.' })
  @IsOptional()
  @IsEnum(BillChannel)
  channel?: BillChannel;

  @Field({ nullable: true, description: 'Bills created at or after this time.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Bills created before this time.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class BillArgs extends AppIdArgs {
  @Field(() => SafeInt, { description: 'The serial.' })
  @IsInt()
  @Min(1)
  billId: number;
}
