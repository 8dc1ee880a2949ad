import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ReconcileInput } from './dto/reconcile.input';
import { ReconciliationReport } from './reconciliation.model';
import { ReconciliationService } from './reconciliation.service';

@Resolver(() => ReconciliationReport)
export class ReconciliationResolver {
  constructor(private readonly recon: ReconciliationService) {}

  @Mutation(() => ReconciliationReport, {
    description:
      "Compares the caller's successful operations of a day with our bills (read-only; a mutation because it takes the app's lease).",
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.APP)
  reconcile(@Args('input') input: ReconcileInput): Promise<ReconciliationReport> {
    return this.recon.reconcile(input);
  }
}
