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
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc } from '../common/graphql/op-doc';

const MANAGERS = [ApiKeyRole.ADMIN, ApiKeyRole.OPERATOR, ApiKeyRole.APP];

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Query(() => [WebhookEndpoint], {
    description: opDoc('Webhook endpoints (an APP key: its own).', {
      who: 'ADMIN, OPERATOR (any app), APP (its own endpoints only).',
      idempotent: IDEMPOTENT.read,
      query: true,
    }),
  })
  @Roles(...MANAGERS)
  webhookEndpoints(@CurrentPrincipal() p: Principal, @Args() { appId }: EndpointsArgs): Promise<WebhookEndpoint[]> {
    return this.webhooks.list(p, appId);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: opDoc("An endpoint's deliveries, oldest first.", {
      who: 'ADMIN, OPERATOR (any app), APP (its own endpoints only).',
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...MANAGERS)
  webhookDeliveries(
    @CurrentPrincipal() p: Principal,
    @Args() args: DeliveriesArgs,
  ): Promise<WebhookDeliveryConnection> {
    return this.webhooks.deliveries(p, args);
  }

  @Mutation(() => WebhookEndpointCreated, {
    description: opDoc(
      'Registers an endpoint; it receives the events sequenced from now on. The secret is shown once.',
      {
        who: 'ADMIN, OPERATOR (any app), APP (its own endpoints only).',
        idempotent: 'no: each call registers another endpoint with its own secret.',
      },
    ),
  })
  @Roles(...MANAGERS)
  createWebhookEndpoint(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The endpoint: url, appId, types.' }) input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointCreated> {
    return this.webhooks.create(p, input);
  }

  @Mutation(() => WebhookEndpoint, {
    description: opDoc('Stops sending to the endpoint (pending deliveries wait).', {
      who: 'ADMIN, OPERATOR (any app), APP (its own endpoints only).',
      idempotent: 'yes: disabling a disabled endpoint changes nothing.',
      errors: [E.NOT_FOUND],
    }),
  })
  @Roles(...MANAGERS)
  disableWebhookEndpoint(@CurrentPrincipal() p: Principal, @Args() { id }: EndpointIdArgs): Promise<WebhookEndpoint> {
    return this.webhooks.setEnabled(p, id, false);
  }

  @Mutation(() => WebhookEndpoint, {
    description: opDoc('Sends to the endpoint again, pending deliveries first.', {
      who: 'ADMIN, OPERATOR (any app), APP (its own endpoints only).',
      idempotent: 'yes: enabling an enabled endpoint changes nothing.',
      errors: [E.NOT_FOUND],
    }),
  })
  @Roles(...MANAGERS)
  enableWebhookEndpoint(@CurrentPrincipal() p: Principal, @Args() { id }: EndpointIdArgs): Promise<WebhookEndpoint> {
    return this.webhooks.setEnabled(p, id, true);
  }

  @Mutation(() => Int, {
    description: opDoc('Queues again every kept event after a feed cursor for the endpoint; answers how many.', {
      who: 'ADMIN, OPERATOR (any app), APP (its own endpoints only).',
      idempotent: 'no: each call queues the events again (receivers dedupe on webhook-id).',
      errors: [E.NOT_FOUND],
    }),
  })
  @Roles(...MANAGERS)
  redeliverWebhookEvents(@CurrentPrincipal() p: Principal, @Args() args: RedeliverArgs): Promise<number> {
    return this.webhooks.redeliver(p, args);
  }
}
