import { Args, Query, Resolver } from '@nestjs/graphql';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { Bill, BillConnection } from './bill.model';
import { BillService } from './bill.service';
import { BillArgs, BillsArgs } from './dto/bills.args';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => Bill)
export class BillResolver {
  constructor(private readonly service: BillService) {}

  @Query(() => BillConnection, {
    description: opDoc("An app's bills, newest first, in cursor pages (FAILED ones too).", {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  bills(@Args() args: BillsArgs): Promise<BillConnection> {
    return this.service.page(args);
  }

  @Query(() => [Bill], {
    description: opDoc('The bills of one serial: a pay and its rollback share a billId.', {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  bill(@Args() { appId, billId }: BillArgs): Promise<Bill[]> {
    return this.service.byBillId(appId, billId);
  }
}
