import { Injectable } from '@nestjs/common';
import { BillChannel, BillStatus } from '../bill/bill.model';
import { BillService } from '../bill/bill.service';
import { LedgerService, Origin, Posted, Posting } from '../bill/ledger.service';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { CouponService } from '../coupon/coupon.service';
import { EntitlementService } from '../entitlement/entitlement.service';
import { PriceService } from '../price/price.service';
import { PayInput, RechargeInput, RollbackInput } from './dto/money.inputs';

/** What a money mutation answers: the posting, first time or replayed. */
export type MoneyAnswer = Posted & { replayed: boolean };

/**
 * recharge, pay and rollback. Each runs inside the idempotency transaction
 * (or its one-statement form): debit, delivery and bill commit together or
 * not at all.
 */
@Injectable()
export class PaymentService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly bills: BillService,
    private readonly prices: PriceService,
    private readonly entitlements: EntitlementService,
    private readonly coupons: CouponService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Idempotent on (appId, orderNo) with `fingerprinted` as the input (the
   * gateway's callback fingerprints what a GraphQL recharge would send).
   * A recharge is one posting: one statement on the way that does not refuse.
   */
  recharge(input: RechargeInput, origin: Origin, fingerprinted: object = input): Promise<MoneyAnswer> {
    // Money that arrived is always booked, even on a frozen account: freezing stops spending.
    const posting: Posting = {
      ...origin,
      appId: input.appId,
      orderNo: input.orderNo,
      channel: BillChannel.RECHARGE,
      amount: input.amount,
      info: input.info,
      refuseIfFrozen: false,
    };
    return this.idempotency.run(
      { appId: input.appId, orderNo: input.orderNo, operation: 'recharge', input: fingerprinted },
      () => this.ledger.post(posting),
      this.ledger.oneStatement(posting),
    );
  }

  /**
   * Idempotent on (appId, orderNo). A pay of an amount without a coupon is one
   * posting, tried as one statement; priced items and coupons (quote,
   * coupon, entitlements) take the transaction.
   */
  pay(input: PayInput, origin: Origin): Promise<MoneyAnswer> {
    const hasItems = input.items !== undefined && input.items !== null;
    const hasAmount = input.amount !== undefined && input.amount !== null;
    if (hasItems === hasAmount) throw LedgerError.invalid('input.items', 'give either items or amount, not both');
    const call = { appId: input.appId, orderNo: input.orderNo, operation: 'pay', input };
    if (hasItems || input.couponId) return this.idempotency.run(call, () => this.payInTransaction(input, origin));
    const posting = this.payPosting(input, origin, input.amount!);
    return this.idempotency.run(call, () => this.ledger.post(posting), this.ledger.oneStatement(posting));
  }

  /** The debit of a pay: `total` cents, with the pricing (items, coupon) on its bill. */
  private payPosting(input: PayInput, origin: Origin, total: number, priceInfo?: unknown): Posting {
    return {
      ...origin,
      appId: input.appId,
      orderNo: input.orderNo,
      channel: BillChannel.PAY,
      amount: -total,
      info: input.info,
      priceInfo,
      refuseIfFrozen: true,
    };
  }

  private async payInTransaction(input: PayInput, origin: Origin): Promise<Posted> {
    const quote = input.items ? await this.prices.quote(input.items) : null;
    const total = quote ? quote.total : input.amount!;
    // The coupon is locked (and checked) before the posting; a refusal here is
    // stored and writes no bill: no money movement was attempted.
    const coupon = input.couponId ? await this.coupons.lockForPay(input.appId, Number(input.couponId), total) : null;
    const discount = coupon ? Math.min(coupon.discount, total) : 0;
    const priceInfo = coupon
      ? { ...(quote ? { items: quote.lines } : {}), total, couponId: coupon.id, discount }
      : quote
        ? { items: quote.lines, total: quote.total }
        : undefined;
    const posted = await this.ledger.post(this.payPosting(input, origin, total - discount, priceInfo));
    // Only after a successful posting: a pay refused for balance or a frozen
    // account commits its FAILED bill and stored error, and the coupon must
    // stay ISSUED then (post threw, so we never get here).
    if (coupon) await this.coupons.markUsed(input.appId, Number(coupon.id), posted.bill.billId);
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
    // Locked before the account (as pay does: coupon, then account), so the two never deadlock.
    const coupon = await this.coupons.lockUsedBy(input.appId, pay.billId);
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
    // The coupon comes back with the refund; past its date it shows (and acts) as EXPIRED.
    if (coupon) await this.coupons.giveBack(input.appId, Number(coupon.id));
    return posted;
  }
}
