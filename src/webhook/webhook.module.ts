import { Module } from '@nestjs/common';
import { EventModule } from '../event/event.module';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookResolver } from './webhook.resolver';
import { WebhookService } from './webhook.service';

/** Webhook endpoints, deliveries and the dispatcher (docs/events.md). */
@Module({
  imports: [EventModule],
  providers: [WebhookService, WebhookResolver, WebhookDispatcher],
})
export class WebhookModule {}
