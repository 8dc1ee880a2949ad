import type { CommandSpec, Origin } from '../common/idempotency/command';
import { LedgerError } from '../common/errors/ledger.error';
import { PayInput, checkPayItems, RechargeInput, RollbackInput } from './dto/money.inputs';

/**
 * The commands of recharge, pay and rollback: what the handler alone knows
 * (who asked, the operation's fields). Deciding and writing are in
 * PostgreSQL (src/database/functions/ledger_op_{recharge,pay,rollback}.sql).
 */
export function rechargeSpec(input: RechargeInput, origin: Origin): CommandSpec {
  return { origin, args: { amount: input.amount, info: input.info ?? null } };
}

export function paySpec(input: PayInput, origin: Origin): CommandSpec {
  const hasItems = input.items !== undefined && input.items !== null;
  const hasAmount = input.amount !== undefined && input.amount !== null;
  if (hasItems === hasAmount) throw LedgerError.invalid('input.items', 'give either items or amount, not both');
  if (hasItems) checkPayItems(input.items!);
  return {
    origin,
    args: {
      amount: input.amount ?? null,
      items: hasItems ? input.items!.map((i) => ({ name: i.name, quantity: i.quantity })) : null,
      couponId: input.couponId ?? null,
      info: input.info ?? null,
    },
  };
}

export function rollbackSpec(input: RollbackInput, origin: Origin): CommandSpec {
  return { origin, args: { payOrderNo: input.payOrderNo, reason: input.reason ?? null } };
}
