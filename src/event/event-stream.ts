import { EventFilter, EventService } from './event.service';
import { EventHub } from './event-hub';
import { LedgerEvent } from './event.model';

const PAGE = 500;
/** Without a notification (a lost LISTEN connection), a subscriber still looks this often. */
const FALLBACK_POLL_MS = 1000;

/**
 * One subscriber's stream: the feed from its cursor, page after page, then
 * each time the instance is notified of newly sequenced events. Replay and
 * live are the same read of the feed (`seq > cursor`), so going live can
 * neither skip nor repeat an event.
 *
 * A plain async iterator rather than a generator: graphql-ws calls `return()`
 * when the client leaves, possibly while `next()` waits; that must end the
 * wait at once.
 */
export class EventStream implements AsyncIterableIterator<LedgerEvent> {
  private buffer: LedgerEvent[] = [];
  private closed = false;
  private notified = false;
  private wakeUp: (() => void) | null = null;
  private readonly unlisten: () => void;

  constructor(
    private readonly events: EventService,
    hub: EventHub,
    private readonly filter: EventFilter,
    private cursor: number,
  ) {
    this.unlisten = hub.listen(() => this.wake());
  }

  private wake(): void {
    this.notified = true;
    this.wakeUp?.();
  }

  async next(): Promise<IteratorResult<LedgerEvent>> {
    while (!this.closed) {
      const e = this.buffer.shift();
      if (e) return { value: e, done: false };
      this.notified = false; // a notification from now on means: read again
      const page = await this.events.after(this.filter, this.cursor, PAGE);
      if (page.length) {
        this.buffer = page;
        this.cursor = page[page.length - 1].seq;
        continue;
      }
      if (this.notified) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, FALLBACK_POLL_MS);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<LedgerEvent>> {
    this.closed = true;
    this.unlisten();
    this.wakeUp?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
