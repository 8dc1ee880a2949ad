import { createClient, Client as WsClient } from 'graphql-ws';
import { Pool } from 'pg';
import WebSocket from 'ws';
import { ok } from './ledger';
import { Service } from './service';

/** Polls `check` until it returns a value (not undefined/false) or the deadline passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every event written so far has its seq (the sequencer caught up). */
export function allSequenced(pool: Pool): Promise<true> {
  return waitFor('the sequencer', async () => {
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM ledger_event WHERE seq IS NULL');
    return rows[0].n === 0 || undefined;
  });
}

export interface FeedNode {
  id: string;
  seq: number;
  type: string;
  appId: number;
  createdAt: string;
  data: any;
}

export const EVENTS = `query($after: String, $first: Int, $appId: Int, $types: [LedgerEventType!]) {
  events(after: $after, first: $first, appId: $appId, types: $types) {
    edges { cursor node { id seq type appId createdAt data } } pageInfo { hasNextPage endCursor } } }`;

/** One page of the feed. */
export async function eventsPage(
  svc: Service,
  vars: { after?: string | null; first?: number; appId?: number; types?: string[] },
  key?: string,
): Promise<{ nodes: FeedNode[]; endCursor: string | null; hasNextPage: boolean }> {
  const r = ok(await svc.gql<{ events: any }>(EVENTS, vars, key));
  return {
    nodes: r.events.edges.map((e: any) => e.node),
    endCursor: r.events.pageInfo.endCursor,
    hasNextPage: r.events.pageInfo.hasNextPage,
  };
}

/** A graphql-ws subscription collecting what it receives. */
export class Subscriber {
  readonly received: FeedNode[] = [];
  readonly errors: unknown[] = [];
  private readonly client: WsClient;

  constructor(svc: Service, key: string, query: string, variables: Record<string, unknown> = {}) {
    this.client = createClient({
      url: `${svc.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    this.client.subscribe<{ ledgerEvents: FeedNode }>(
      { query, variables },
      {
        next: (v) => {
          if (v.errors) this.errors.push(...v.errors);
          if (v.data) this.received.push(v.data.ledgerEvents);
        },
        error: (e) => this.errors.push(e),
        complete: () => undefined,
      },
    );
  }

  /** Resolves once the server has taken the subscription (graphql-ws has acknowledged the connection). */
  connected(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.client.on('connected', () => {
        off();
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return this.client.dispose() as Promise<void>;
  }
}

export const SUBSCRIBE = `subscription($after: String, $appId: Int, $types: [LedgerEventType!]) {
  ledgerEvents(after: $after, appId: $appId, types: $types) { id seq type appId createdAt data } }`;
