import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ReconcileInput } from './dto/reconcile.input';
import { ReconciliationReport } from './reconciliation.model';
import { ReconciliationService } from './reconciliation.service';
import { ErrorCode as E } from '../common/errors/error-codes';
import { opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => ReconciliationReport)
export class ReconciliationResolver {
  constructor(private readonly recon: ReconciliationService) {}

  @Mutation(() => ReconciliationReport, {
    description: opDoc(
      "Compares the caller's successful operations of a day with our bills (read-only; a mutation because it takes the app's lease).",
      { who: WHO.adminApp, idempotent: 'yes: it changes nothing.', errors: [E.NOT_FOUND, E.ACCOUNT_LOCKED] },
    ),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  reconcile(
    @Args('input', { description: "The day and the caller's list of it." }) input: ReconcileInput,
  ): Promise<ReconciliationReport> {
    return this.recon.reconcile(input);
  }
}
