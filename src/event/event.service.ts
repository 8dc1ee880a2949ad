import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyRole, Principal } from '../auth/principal';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { EventsArgs, EventFilterArgs } from './dto/events.args';
import { LedgerEvent, LedgerEventConnection, LedgerEventRow, LedgerEventType } from './event.model';

/** What a reader may see: one app's events or all, some types or all. */
export interface EventFilter {
  appId: number | null;
  types: LedgerEventType[] | null;
}

/** A feed cursor is the event's seq in decimal (opaque to clients; stable across instances). */
export function parseCursor(field: string, cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined) return null;
  if (!/^\d{1,15}$/.test(cursor)) throw LedgerError.invalid(field, 'not a cursor of the events feed');
  return Number(cursor);
}

/**
 * The event feed. Only sequenced events are read: the sequencer gives seq to
 * committed events in one transaction at a time, so the sequenced set only
 * grows at its end and `seq > after` never skips one (docs/events.md).
 *
 * Reads go through the DataSource rather than the request's transaction: the
 * subscription reads from a WebSocket, outside any HTTP request.
 */
@Injectable()
export class EventService {
  constructor(private readonly ds: DataSource) {}

  /** The filter a principal may use: an APP key sees its own app only. */
  static filterFor(principal: Principal, args: EventFilterArgs): EventFilter {
    let appId = args.appId ?? null;
    if (principal.role === ApiKeyRole.APP) {
      if (appId !== null && appId !== principal.appId) {
        throw new LedgerError(ErrorCode.FORBIDDEN, `this key acts for app ${principal.appId} only`);
      }
      appId = principal.appId;
    }
    return { appId, types: args.types?.length ? args.types : null };
  }

  async page(principal: Principal, args: EventsArgs): Promise<LedgerEventConnection> {
    const filter = EventService.filterFor(principal, args);
    const after = parseCursor('after', args.after) ?? 0;
    const rows = await this.after(filter, after, args.first + 1);
    const page = rows.slice(0, args.first);
    const edges = page.map((node) => ({ cursor: String(node.seq), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > args.first,
        endCursor: edges.at(-1)?.cursor ?? (args.after ? String(after) : null),
      },
    };
  }

  /** Up to `limit` sequenced events after `seq`, in seq order. */
  async after(filter: EventFilter, seq: number, limit: number): Promise<LedgerEvent[]> {
    const rows: LedgerEventRow[] = await this.ds.query(
      `SELECT id, seq, type, app_id, ledger_event_data(e) AS data, created_at FROM ledger_event e
        WHERE seq IS NOT NULL AND seq > $1
          AND ($2::integer IS NULL OR app_id = $2) AND ($3::text[] IS NULL OR type = ANY ($3::text[]))
        ORDER BY seq LIMIT $4`,
      [seq, filter.appId, filter.types, limit],
    );
    return rows.map((r) => LedgerEvent.fromRow(r));
  }

  /** The last seq given so far: a subscription without `after` starts there. */
  async lastSeq(): Promise<number> {
    const [row]: { last_seq: number }[] = await this.ds.query('SELECT last_seq FROM event_sequencer WHERE id = 1');
    return row.last_seq;
  }
}
