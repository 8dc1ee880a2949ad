import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_APP_ID } from '../validation';

@ArgsType()
export class AppIdArgs {
  @Field(() => Int, { description: "The app's id, 1 .. 2^31-1." })
  @IsInt()
  @Min(1)
  @Max(MAX_APP_ID)
  appId: number;
}
