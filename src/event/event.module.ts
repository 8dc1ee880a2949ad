import { Module } from '@nestjs/common';
import { EventHub } from './event-hub';
import { EventResolver } from './event.resolver';
import { EventSequencer } from './event-sequencer';
import { EventService } from './event.service';

/** The event outbox's feed, sequencer, LISTEN hub, subscriptions and balance alerts (docs/events.md). */
@Module({
  providers: [EventService, EventHub, EventSequencer, EventResolver],
  exports: [EventService, EventHub],
})
export class EventModule {}
