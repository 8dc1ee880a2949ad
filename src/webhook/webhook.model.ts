import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '../bill/bill.model';
import { toDate } from '../common/graphql/dates';
import { LedgerEventType } from '../event/event.model';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: not yet acknowledged (being sent or waiting for a retry); DELIVERED: a 2xx answer; FAILED: gave up.',
  valuesMap: {
    PENDING: { description: 'Not yet acknowledged: being sent, or waiting for its next attempt.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every attempt of the retry schedule failed; redeliverWebhookEvents queues it again.' },
  },
});

export interface WebhookEndpointRow {
  id: number;
  url: string;
  app_id: number | null;
  types: LedgerEventType[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date | string;
}

@ObjectType({ description: 'A URL that receives events as signed POSTs (Standard Webhooks).' })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'The endpoint id.' }) id: string;
  @Field({ description: 'Where events are POSTed.' }) url: string;
  @Field(() => Int, { nullable: true, description: "Only this app's events; null: every app's (ADMIN/OPERATOR)." })
  appId: number | null;
  @Field(() => [LedgerEventType], { nullable: true, description: 'Only these types; null: every type.' })
  types: LedgerEventType[] | null;
  @Field({ description: 'A disabled endpoint gets nothing new; its pending deliveries wait until it is enabled.' })
  enabled: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was disabled (by a caller, or a 410 answer).' })
  disabledReason: string | null;
  @Field({ description: 'When it was created.' }) createdAt: Date;

  static fromRow(r: WebhookEndpointRow): WebhookEndpoint {
    return Object.assign(new WebhookEndpoint(), {
      id: String(r.id),
      url: r.url,
      appId: r.app_id,
      types: r.types,
      enabled: r.enabled,
      disabledReason: r.disabled_reason,
      createdAt: toDate(r.created_at),
    });
  }
}

@ObjectType({ description: 'A new endpoint and its signing secret.' })
export class WebhookEndpointCreated {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' }) endpoint: WebhookEndpoint;
  @Field({
    description: 'whsec_ + base64 key of the HMAC-SHA256 signatures. Shown only here: keep it.',
  })
  secret: string;
}

export interface WebhookDeliveryRow {
  id: number;
  endpoint_id: number;
  event_id: number;
  event_seq: number | null;
  event_type: LedgerEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
  created_at: Date | string;
}

@ObjectType({ description: 'One event sent (or to send) to one endpoint.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'The delivery id.' }) id: string;
  @Field(() => ID, { description: 'The endpoint.' }) endpointId: string;
  @Field(() => ID, { description: 'The event (its id is the webhook-id header).' }) eventId: string;
  @Field(() => LedgerEventType, { description: "The event's type." }) eventType: LedgerEventType;
  @Field(() => WebhookDeliveryStatus, { description: 'Where it stands.' }) status: WebhookDeliveryStatus;
  @Field(() => Int, { description: 'Attempts made so far.' }) attempts: number;
  @Field({ description: 'When it is (re)sent next, if PENDING.' }) nextAttemptAt: Date;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer.' }) lastStatus: number | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (timeout, network...).' })
  lastError: string | null;
  @Field(() => Date, { nullable: true, description: 'When a 2xx answer came.' }) deliveredAt: Date | null;
  @Field({ description: 'When it was queued.' }) createdAt: Date;

  static fromRow(r: WebhookDeliveryRow): WebhookDelivery {
    return Object.assign(new WebhookDelivery(), {
      id: String(r.id),
      endpointId: String(r.endpoint_id),
      eventId: String(r.event_id),
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: toDate(r.next_attempt_at),
      lastStatus: r.last_status,
      lastError: r.last_error,
      deliveredAt: toDate(r.delivered_at),
      createdAt: toDate(r.created_at),
    });
  }
}

@ObjectType({ description: 'A delivery and its cursor.' })
export class WebhookDeliveryEdge {
  @Field({ description: 'Pass as `after` to continue after this delivery.' }) cursor: string;
  @Field(() => WebhookDelivery, { description: 'The delivery.' }) node: WebhookDelivery;
}

@ObjectType({ description: "An endpoint's deliveries, oldest first." })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], { description: 'The page.' }) edges: WebhookDeliveryEdge[];
  @Field(() => PageInfo, { description: 'Paging.' }) pageInfo: PageInfo;
}
