import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole, Principal } from '../auth/principal';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import {
  CreateWebhookEndpointInput,
  DeliveriesArgs,
  EndpointIdArgs,
  EndpointsArgs,
  RedeliverArgs,
} from './dto/webhook.args';
import { WebhookDeliveryConnection, WebhookEndpoint, WebhookEndpointCreated } from './webhook.model';
import { WebhookService } from './webhook.service';

const MANAGERS = [ApiKeyRole.ADMIN, ApiKeyRole.OPERATOR, ApiKeyRole.APP];

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Query(() => [WebhookEndpoint], { description: 'Webhook endpoints (an APP key: its own).' })
  @Roles(...MANAGERS)
  webhookEndpoints(@CurrentPrincipal() p: Principal, @Args() { appId }: EndpointsArgs): Promise<WebhookEndpoint[]> {
    return this.webhooks.list(p, appId);
  }

  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, oldest first." })
  @Roles(...MANAGERS)
  webhookDeliveries(
    @CurrentPrincipal() p: Principal,
    @Args() args: DeliveriesArgs,
  ): Promise<WebhookDeliveryConnection> {
    return this.webhooks.deliveries(p, args);
  }

  @Mutation(() => WebhookEndpointCreated, {
    description: 'Registers an endpoint; it receives the events sequenced from now on. The secret is shown once.',
  })
  @Roles(...MANAGERS)
  createWebhookEndpoint(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointCreated> {
    return this.webhooks.create(p, input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Stops sending to the endpoint (pending deliveries wait).' })
  @Roles(...MANAGERS)
  disableWebhookEndpoint(@CurrentPrincipal() p: Principal, @Args() { id }: EndpointIdArgs): Promise<WebhookEndpoint> {
    return this.webhooks.setEnabled(p, id, false);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Sends to the endpoint again, pending deliveries first.' })
  @Roles(...MANAGERS)
  enableWebhookEndpoint(@CurrentPrincipal() p: Principal, @Args() { id }: EndpointIdArgs): Promise<WebhookEndpoint> {
    return this.webhooks.setEnabled(p, id, true);
  }

  @Mutation(() => Int, {
    description: 'Queues again every kept event after a feed cursor for the endpoint; answers how many.',
  })
  @Roles(...MANAGERS)
  redeliverWebhookEvents(@CurrentPrincipal() p: Principal, @Args() args: RedeliverArgs): Promise<number> {
    return this.webhooks.redeliver(p, args);
  }
}
