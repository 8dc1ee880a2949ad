import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { MonthArgs, StatementArgs } from './dto/statement.args';
import { SettlementReport, Statement } from './settlement.model';
import { SettlementService } from './settlement.service';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => Statement)
export class SettlementResolver {
  constructor(private readonly settlement: SettlementService) {}

  @Query(() => Statement, {
    nullable: true,
    description: opDoc("An account's statement of a month; null before that month is settled.", {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  statement(@Args() { appId, month }: StatementArgs): Promise<Statement | null> {
    return this.settlement.statement(appId, month);
  }

  @Mutation(() => SettlementReport, {
    description: opDoc('Settles a month that has ended (also run by a cron on the 1st).', {
      who: WHO.admin,
      idempotent:
        'yes: a second run of the same month settles nothing new (accounts whose lease was busy are settled then).',
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  settleMonth(@Args() { month }: MonthArgs): Promise<SettlementReport> {
    return this.settlement.settleMonth(month);
  }
}
