import { ErrorCode } from '../errors/error-codes';
import { LedgerError } from '../errors/ledger.error';
import { MAX_APP_ID, ORDER_NO_PATTERN } from '../validation';
import { fingerprint } from './canonical-json';

/** Who asked and from where: recorded on every bill. */
export interface Origin {
  user: string | null;
  srcIp: string | null;
}

/** The operations ledger_run dispatches (src/database/functions/ledger_op_*.sql). */
export type Operation =
  'recharge' | 'pay' | 'rollback' | 'hold' | 'captureHold' | 'releaseHold' | 'issueCoupon' | 'expireHold' | 'settle';

/**
 * The command record: one whole money mutation, named, sent to PostgreSQL as
 * one JSON value (`SELECT ledger_run($1)`), and read there by name. It is
 * built by `command()` only.
 */
export interface LedgerCommand extends Origin {
  op: Operation;
  appId: number;
  orderNo: string;
  /** The request's fingerprint; null for internal jobs, which write no dedupe key. */
  fingerprint: string | null;
  /** The caller's own AppLock lease (settlement): postings under it do not wait for it. */
  leaseToken: number | null;
  /** How long to wait for another owner's lease; null: APPLOCK_WAIT_MS (IdempotencyService fills it in). */
  leaseWaitMs: number | null;
  /** The operation's own fields (see each ledger_op_*.sql). */
  args: Record<string, unknown>;
  /**
   * Whether the first answer renders its bill's priceInfo (false when the request does not select it: see
   * answersPriceInfo; absent: true). A replay always renders the whole bill.
   */
  answerPriceInfo?: boolean;
}

/**
 * What a handler of an `@Idempotent()` mutation returns: its CommandSpec, or
 * `reply`: an answer given without running any command (the gateway's refused
 * deliveries).
 */
export type HandlerResult<T = unknown> = CommandSpec<T> | { reply: T };

/** The parts of a command that only its handler knows. */
export interface CommandSpec<T = unknown> {
  origin: Origin;
  args: Record<string, unknown>;
  /** The key and fingerprinted input when they are not the GraphQL `input` (the gateway's callback). */
  appId?: unknown;
  orderNo?: unknown;
  fingerprinted?: object;
  /** Maps the outcome to the handler's answer (default: the answer, or the error thrown). */
  present?: (outcome: Outcome) => T;
}

/** How a command ended: its answer, or the error it raised (a LedgerError for every refusal). */
export type Outcome = { answer: Answered<object> } | { error: unknown };

/** An answer as the client gets it, with `replayed`. */
export type Answered<T> = T & { replayed: boolean };

/** What ledger_run answers (see ledger_run.sql): one shape, stored as it is. */
export interface StoredAnswer {
  data?: Record<string, unknown>;
  error?: { code: ErrorCode; message: string; details: Record<string, unknown> };
  replayed?: boolean;
  stored?: false;
  wait?: string;
}

/** The one builder of command records. An API command's key is checked and its input fingerprinted. */
export function command(c: {
  op: Operation;
  appId: unknown;
  orderNo: unknown;
  origin: Origin;
  args: Record<string, unknown>;
  /** The input whose canonical JSON is fingerprinted with `op`; null: an internal job's command (no key). */
  fingerprinted: object | null;
  leaseToken?: number;
  leaseWaitMs?: number;
  answerPriceInfo?: boolean;
}): LedgerCommand {
  const { appId, orderNo } = c;
  if (c.fingerprinted !== null) checkKey(appId, orderNo);
  return {
    op: c.op,
    appId: appId as number,
    orderNo: orderNo as string,
    fingerprint: c.fingerprinted === null ? null : fingerprint(c.op, c.fingerprinted),
    user: c.origin.user,
    srcIp: c.origin.srcIp,
    leaseToken: c.leaseToken ?? null,
    leaseWaitMs: c.leaseWaitMs ?? null,
    args: c.args,
    answerPriceInfo: c.answerPriceInfo,
  };
}

function checkKey(appId: unknown, orderNo: unknown): void {
  if (typeof appId !== 'number' || !Number.isInteger(appId) || appId < 1 || appId > MAX_APP_ID) {
    throw LedgerError.invalid('input.appId', 'must be a positive 32-bit integer');
  }
  if (typeof orderNo !== 'string' || !ORDER_NO_PATTERN.test(orderNo)) {
    throw LedgerError.invalid('input.orderNo', 'must be 1-64 characters of A-Z a-z 0-9 _ . : -');
  }
}

/**
 * The one way an answer is revived, first time or replayed: its data with
 * `replayed`, or its error thrown (a replayed stored error says `replayed`).
 */
export function revive<T>(a: StoredAnswer): Answered<T> {
  if (a.error) {
    const details = a.replayed ? { ...a.error.details, replayed: true } : a.error.details;
    throw new LedgerError(a.error.code, a.error.message, details);
  }
  return { ...(a.data as T), replayed: a.replayed === true };
}
