import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ApiKeyRole } from '../principal';

@InputType({ description: 'A new API key: its role, app (APP keys) and label.' })
export class CreateApiKeyInput {
  @Field(() => ApiKeyRole, { description: 'What the key may do.' })
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
  @Field(() => ID, { description: "The key's id, for revokeApiKey." }) id: string;
  @Field({ description: 'The secret bearer key: shown here once, never again.' }) key: string;
  @Field(() => ApiKeyRole, { description: 'What the key may do.' }) role: ApiKeyRole;
  @Field(() => Int, {
    nullable: true,
    description: 'The app an APP key is bound to; null for ADMIN and OPERATOR keys.',
  })
  appId: number | null;
  @Field({ description: 'Recorded as the bill user of operations done with this key.' }) label: string;
}
