import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ApiKeyRole } from '../principal';

@InputType()
export class CreateApiKeyInput {
  @Field(() => ApiKeyRole)
  @IsEnum(ApiKeyRole)
  role: ApiKeyRole;

  @Field(() => Int, { nullable: true, description: 'Required for APP keys, absent otherwise.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2147483647)
  appId?: number;

  @Field({ description: 'Recorded as the bill user of operations done with this key.' })
  @IsString()
  @Length(1, 128)
  label: string;
}

@ObjectType({ description: 'A new API key. The secret `key` is shown here once and stored only as a hash.' })
export class ApiKeyCreated {
  @Field(() => ID) id: string;
  @Field() key: string;
  @Field(() => ApiKeyRole) role: ApiKeyRole;
  @Field(() => Int, { nullable: true }) appId: number | null;
  @Field() label: string;
}
