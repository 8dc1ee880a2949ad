import { ArgsType, Field } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';
import { AppIdArgs } from '../../common/dto/app-id.args';

@ArgsType()
export class FreezeArgs extends AppIdArgs {
  @Field({ description: 'Why, 1-500 characters (shown as freezeReason).' })
  @IsString()
  @Length(1, 500)
  reason: string;
}
