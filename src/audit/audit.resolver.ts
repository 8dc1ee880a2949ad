import { Args, Query, Resolver } from '@nestjs/graphql';
import { AppIdArgs } from '../common/dto/app-id.args';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { AuditReport } from './audit.model';
import { AuditService } from './audit.service';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => AuditReport)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditReport, {
    description: opDoc('Checks an account against its ledger; `breaks` lists what disagrees.', {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  auditAccount(@Args() { appId }: AppIdArgs): Promise<AuditReport> {
    return this.audit.auditAccount(appId);
  }
}
