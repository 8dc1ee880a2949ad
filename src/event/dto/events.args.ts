import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { MAX_APP_ID } from '../../common/validation';
import { LedgerEventType } from '../event.model';

/** The filter shared by the feed and the subscription. */
@ArgsType()
export class EventFilterArgs {
  @Field(() => String, {
    nullable: true,
    description: 'A cursor (an edge cursor or endCursor): only events after it. Omitted: from the start of the feed.',
  })
  @IsOptional()
  @IsString()
  after?: string;

  @Field(() => Int, { nullable: true, description: "Only this app's events (an APP key: always its own)." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_APP_ID)
  appId?: number;

  @Field(() => [LedgerEventType], { nullable: true, description: 'Only these types (omitted: every type).' })
  @IsOptional()
  @IsEnum(LedgerEventType, { each: true })
  @ArrayMaxSize(20)
  types?: LedgerEventType[];
}

@ArgsType()
export class EventsArgs extends EventFilterArgs {
  @Field(() => Int, { defaultValue: 100, description: '1..1000' })
  @IsInt()
  @Min(1)
  @Max(1000)
  first: number;
}
