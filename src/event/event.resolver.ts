import { Args, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Account, AccountRow } from '../account/account.model';
import { ApiKeyRole, Principal } from '../auth/principal';
import { ANY_ROLE, CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { LedgerError } from '../common/errors/ledger.error';
import { DataSource } from 'typeorm';
import { BalanceAlertArgs } from './dto/balance-alert.args';
import { EventFilterArgs, EventsArgs } from './dto/events.args';
import { EventHub } from './event-hub';
import { EventStream } from './event-stream';
import { LedgerEvent, LedgerEventConnection } from './event.model';
import { EventService, parseCursor } from './event.service';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => LedgerEvent)
export class EventResolver {
  constructor(
    private readonly feed: EventService,
    private readonly hub: EventHub,
    private readonly ds: DataSource,
  ) {}

  @Query(() => LedgerEventConnection, {
    description: opDoc('The event feed in seq order (oldest first). Paging with `after` never misses an event.', {
      who: 'ADMIN, OPERATOR (any app), APP (its own appId only; without appId: its own app).',
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  events(@CurrentPrincipal() principal: Principal, @Args() args: EventsArgs): Promise<LedgerEventConnection> {
    return this.feed.page(principal, args);
  }

  @Subscription(() => LedgerEvent, {
    description: opDoc(
      'Events as they are committed, on every instance. With `after`: the feed from that cursor first, then live, ' +
        'without gap or duplicate. graphql-ws on /graphql; the key in connectionParams.authorization.',
      {
        who: 'ADMIN, OPERATOR (any app), APP (its own appId only; without appId: its own app).',
        idempotent: IDEMPOTENT.read,
        query: true,
      },
    ),
    resolve: (event: LedgerEvent) => event,
  })
  @Roles(...ANY_ROLE)
  async ledgerEvents(
    @CurrentPrincipal() principal: Principal,
    @Args() args: EventFilterArgs,
  ): Promise<AsyncIterableIterator<LedgerEvent>> {
    const filter = EventService.filterFor(principal, args);
    const from = parseCursor('after', args.after) ?? (await this.feed.lastSeq());
    return new EventStream(this.feed, this.hub, filter, from);
  }

  @Mutation(() => Account, {
    description: opDoc(
      'Sets (or with below: null removes) the balance alert of an app: a BALANCE_LOW event per crossing.',
      { who: WHO.adminApp, idempotent: 'yes: setting the same alert again changes nothing.', errors: [E.NOT_FOUND] },
    ),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  setBalanceAlert(@Args() { appId, below }: BalanceAlertArgs): Promise<Account> {
    return this.ds.transaction(async (m) => {
      const rows: AccountRow[] = await m.query('SELECT * FROM account WHERE app_id = $1', [appId]);
      if (!rows[0]) throw LedgerError.notFound(`no account for app ${appId}`);
      if (below === null || below === undefined) {
        await m.query('DELETE FROM balance_alert WHERE app_id = $1', [appId]);
      } else {
        await m.query(
          `INSERT INTO balance_alert (app_id, below) VALUES ($1, $2)
           ON CONFLICT (app_id) DO UPDATE SET below = EXCLUDED.below, updated_at = now()`,
          [appId, below],
        );
      }
      return Account.fromRow(rows[0]);
    });
  }
}
