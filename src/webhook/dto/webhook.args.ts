import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_APP_ID } from '../../common/validation';
import { LedgerEventType } from '../../event/event.model';
import { WebhookDeliveryStatus } from '../webhook.model';

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'https URL (http and private addresses: development, or WEBHOOK_ALLOW_PRIVATE).' })
  @IsString()
  @MaxLength(2048)
  url: string;

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
export class EndpointIdArgs {
  @Field(() => ID, { description: 'The endpoint.' })
  @Matches(/^\d{1,15}$/, { message: 'not an endpoint id' })
  id: string;
}

@ArgsType()
export class EndpointsArgs {
  @Field(() => Int, { nullable: true, description: "Only this app's endpoints (an APP key: always its own)." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_APP_ID)
  appId?: number;
}

@ArgsType()
export class DeliveriesArgs {
  @Field(() => ID, { description: 'The endpoint.' })
  @Matches(/^\d{1,15}$/, { message: 'not an endpoint id' })
  endpointId: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this state.' })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;

  @Field(() => Int, { defaultValue: 100, description: '1..1000' })
  @IsInt()
  @Min(1)
  @Max(1000)
  first: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'not a cursor of this list' })
  after?: string;
}

@ArgsType()
export class RedeliverArgs {
  @Field(() => ID, { description: 'The endpoint.' })
  @Matches(/^\d{1,15}$/, { message: 'not an endpoint id' })
  endpointId: string;

  @Field(() => String, {
    nullable: true,
    description: 'An events feed cursor: every event after it (omitted: all kept).',
  })
  @IsOptional()
  @IsString()
  after?: string;
}
