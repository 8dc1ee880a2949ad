import type { CommandSpec, Origin } from '../common/idempotency/command';
import type { CaptureHoldInput, HoldInput, ReleaseHoldInput } from './dto/hold.inputs';

/**
 * The commands of hold, captureHold and releaseHold: what the handler alone knows (who asked, the operation's
 * fields). Deciding and writing are in PostgreSQL (src/database/functions/ledger_op_{hold,capture_hold,
 * release_hold}.sql).
 */
export function holdSpec(input: HoldInput, origin: Origin): CommandSpec {
  return { origin, args: { amount: input.amount, ttlSeconds: input.ttlSeconds, info: input.info ?? null } };
}

export function captureHoldSpec(input: CaptureHoldInput, origin: Origin): CommandSpec {
  return { origin, args: { holdId: input.holdId, amount: input.amount ?? null } };
}

export function releaseHoldSpec(input: ReleaseHoldInput, origin: Origin): CommandSpec {
  return { origin, args: { holdId: input.holdId } };
}
