import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** The channel the sequencer notifies after it sequenced events (payload: the last seq). */
export const EVENTS_CHANNEL = 'ledger_events';

/**
 * This instance's one LISTEN connection: every subscription and the webhook
 * dispatcher of the instance are woken through it when any instance's
 * sequencer commits new events. A lost connection is opened again; meanwhile
 * its users fall back to their own short polls, so a missed notification
 * delays an event, never loses it.
 */
@Injectable()
export class EventHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventHub.name);
  private readonly listeners = new Set<() => void>();
  private client: Client | null = null;
  private stopped = false;

  constructor(private readonly ds: DataSource) {}

  /** Calls `fn` on every notification until the returned function is called. */
  listen(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Wakes this instance's listeners (the local sequencer calls it too, without waiting for the round trip). */
  wake(): void {
    for (const fn of this.listeners) fn();
  }

  onApplicationBootstrap(): void {
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const opts = this.ds.options as { url?: string };
    while (!this.stopped) {
      const client = new Client({ connectionString: opts.url, application_name: `ledger/${process.pid}` });
      // Every error of this client is heard, from its creation to its end: the server can end it at any moment
      // (while it connects, before LISTEN, or twice: its FATAL message, then the close), and an 'error' event
      // with no listener would end the process. The shutdown ends it wherever it is (this.client).
      const lost = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.once('end', () => resolve());
      });
      this.client = client;
      try {
        await client.connect();
        client.on('notification', () => this.wake());
        await client.query(`LISTEN ${EVENTS_CHANNEL}`);
        this.wake(); // whatever was sequenced while we were not listening
        await lost;
      } catch (err) {
        if (!this.stopped) this.logger.warn(`LISTEN connection failed: ${(err as Error).message}`);
      }
      this.client = null;
      await client.end().catch(() => undefined);
      if (!this.stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
