import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { MonthArgs, StatementArgs } from './dto/statement.args';
import { SettlementReport, Statement } from './settlement.model';
import { SettlementService } from './settlement.service';

@Resolver(() => Statement)
export class SettlementResolver {
  constructor(private readonly settlement: SettlementService) {}

  @Query(() => Statement, {
    nullable: true,
    description: "An account's statement of a month; null before that month is settled.",
  })
  @Roles(...ANY_ROLE)
  statement(@Args() { appId, month }: StatementArgs): Promise<Statement | null> {
    return this.settlement.statement(appId, month);
  }

  @Mutation(() => SettlementReport, {
    description: 'Settles a month that has ended (also run by a cron on the 1st). Safe to repeat.',
  })
  @Roles(ApiKeyRole.ADMIN)
  settleMonth(@Args() { month }: MonthArgs): Promise<SettlementReport> {
    return this.settlement.settleMonth(month);
  }
}
