import { Args, Query, Resolver } from '@nestjs/graphql';
import { AppIdArgs } from '../common/dto/app-id.args';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { AuditReport } from './audit.model';
import { AuditService } from './audit.service';

@Resolver(() => AuditReport)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditReport, { description: 'Checks an account against its ledger; `breaks` lists what disagrees.' })
  @Roles(...ANY_ROLE)
  auditAccount(@Args() { appId }: AppIdArgs): Promise<AuditReport> {
    return this.audit.auditAccount(appId);
  }
}
