import { Injectable } from '@nestjs/common';
import { BillChannel, BillStatus } from '../bill/bill.model';
import { BillService } from '../bill/bill.service';
import { LedgerService, Origin, Posted } from '../bill/ledger.service';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { EntitlementService } from '../entitlement/entitlement.service';
import { PriceService } from '../price/price.service';
import { PayInput, RechargeInput, RollbackInput } from './dto/money.inputs';

/**
 * recharge, pay and rollback. Each runs inside the idempotency transaction:
 * debit, delivery and bill commit together or not at all.
 */
@Injectable()
export class PaymentService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly bills: BillService,
    private readonly prices: PriceService,
    private readonly entitlements: EntitlementService,
  ) {}

  recharge(input: RechargeInput, origin: Origin): Promise<Posted> {
    // Money that arrived is always booked, even on a frozen account: freezing stops spending.
    return this.ledger.post({
      ...origin,
      appId: input.appId,
      orderNo: input.orderNo,
      channel: BillChannel.RECHARGE,
      amount: input.amount,
      info: input.info,
      refuseIfFrozen: false,
    });
  }

  async pay(input: PayInput, origin: Origin): Promise<Posted> {
    const hasItems = input.items !== undefined && input.items !== null;
    const hasAmount = input.amount !== undefined && input.amount !== null;
    if (hasItems === hasAmount) throw LedgerError.invalid('input.items', 'give either items or amount, not both');
    const quote = hasItems ? await this.prices.quote(input.items!) : null;
    const posted = await this.ledger.post({
      ...origin,
      appId: input.appId,
      orderNo: input.orderNo,
      channel: BillChannel.PAY,
      amount: -(quote ? quote.total : input.amount!),
      info: input.info,
      priceInfo: quote ? { items: quote.lines, total: quote.total } : undefined,
      refuseIfFrozen: true,
    });
    // Debit, then deliver: same transaction, so a failed delivery undoes the debit.
    if (quote) await this.entitlements.deliver(input.appId, posted.bill.billId, quote.lines);
    return posted;
  }

  async rollback(input: RollbackInput, origin: Origin): Promise<Posted> {
    // Locking the pay's bill serialises concurrent rollbacks of the same pay.
    const pay = await this.bills.findByOrder(input.appId, input.payOrderNo, BillChannel.PAY, true);
    if (!pay || pay.status !== BillStatus.SUCCESS) {
      throw LedgerError.notFound(`no successful pay with orderNo ${input.payOrderNo} for app ${input.appId}`);
    }
    const earlier = await this.bills.byBillId(input.appId, pay.billId);
    if (earlier.some((b) => b.channel === BillChannel.ROLLBACK)) {
      throw new LedgerError(ErrorCode.ALREADY_REVERSED, `pay ${input.payOrderNo} was already rolled back`);
    }
    const posted = await this.ledger.post({
      ...origin,
      appId: input.appId,
      orderNo: input.orderNo,
      channel: BillChannel.ROLLBACK,
      amount: -pay.amount,
      billId: pay.billId,
      info: input.reason,
      priceInfo: pay.priceInfo ?? undefined,
      refuseIfFrozen: false,
    });
    await this.entitlements.endForBill(input.appId, pay.billId);
    return posted;
  }
}
