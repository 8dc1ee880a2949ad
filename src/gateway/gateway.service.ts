import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import type { CommandSpec, Origin, Outcome } from '../common/idempotency/command';
import { MAX_APP_ID, MAX_CENTS, ORDER_NO_PATTERN } from '../common/validation';
import type { LedgerEnv } from '../config/env';
import { rechargeSpec } from '../payment/payment.commands';
import { signatureMatches } from './gateway-signature';

/** How far the gateway's timestamp may be from our clock, either way. */
export const MAX_SKEW_SECONDS = 300;

export type NotifyOutcome =
  | { ok: true; replayed: boolean }
  /** `retry`: our side failed transiently; the gateway should deliver again. */
  | { ok: false; reason: string; retry?: boolean };

const INTEGER = /^[0-9]{1,16}$/;

/**
 * The payment gateway's recharge callback (seed 004). A delivery is checked
 * (secret configured, signature, fields, freshness, known app) and then
 * becomes the same `recharge` command as the GraphQL mutation, keyed by
 * (appId, agentBillNo) and run by the controller's @Idempotent('recharge'):
 * the gateway's retries, concurrent or not, credit once and all answer success.
 */
@Injectable()
export class GatewayService {
  private readonly logger = new Logger(GatewayService.name);

  constructor(
    private readonly config: ConfigService<LedgerEnv, true>,
    private readonly db: EntityManager,
  ) {}

  /** The recharge command of a delivery, or why it is refused (nothing runs then). */
  async check(
    body: unknown,
    srcIp: string | null,
  ): Promise<{ ok: true; spec: CommandSpec } | { ok: false; reason: string }> {
    const secret = this.config.get('GATEWAY_SECRET', { infer: true });
    if (!secret) return { ok: false, reason: 'GATEWAY_SECRET is not configured' };
    const fields = flatFields(body);
    if (!fields) return { ok: false, reason: 'the body is not a flat form or JSON object' };
    if (!signatureMatches(fields, secret)) return { ok: false, reason: 'bad signature' };

    const { agentBillNo, appId, amount, timestamp } = fields;
    if (agentBillNo === undefined || !ORDER_NO_PATTERN.test(agentBillNo))
      return { ok: false, reason: 'bad agentBillNo' };
    if (appId === undefined || !INTEGER.test(appId) || Number(appId) < 1 || Number(appId) > MAX_APP_ID) {
      return { ok: false, reason: 'bad appId' };
    }
    if (amount === undefined || !INTEGER.test(amount) || Number(amount) < 1 || Number(amount) > MAX_CENTS) {
      return { ok: false, reason: 'bad amount' };
    }
    if (timestamp === undefined || !INTEGER.test(timestamp)) return { ok: false, reason: 'bad timestamp' };
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
      return { ok: false, reason: 'stale timestamp' };

    const app = Number(appId);
    // Checked before the command so that an unknown app is not stored as a NOT_FOUND
    // answer that would be replayed after the account is opened. Accounts are never deleted.
    const known: unknown[] = await this.db.query('SELECT 1 FROM account WHERE app_id = $1', [app]);
    if (!known.length) return { ok: false, reason: `no account for app ${app}` };

    // The fingerprinted input is what a GraphQL recharge of the same order would send.
    const input = { orderNo: agentBillNo, appId: app, amount: Number(amount) };
    const origin: Origin = { user: 'payment-gateway', srcIp };
    const spec = rechargeSpec({ ...input, info: `gateway callback, timestamp ${timestamp}` }, origin);
    return { ok: true, spec: { ...spec, appId: app, orderNo: agentBillNo, fingerprinted: input } };
  }

  /** What the recharge command's outcome means to the gateway. */
  outcome(o: Outcome, agentBillNo: string | undefined, reqId: string): NotifyOutcome {
    if ('answer' in o) return { ok: true, replayed: o.answer.replayed };
    const err = o.error;
    if (err instanceof LedgerError) {
      const retry = [ErrorCode.REQUEST_IN_PROGRESS, ErrorCode.SERVER_BUSY, ErrorCode.ACCOUNT_LOCKED].includes(err.code);
      return { ok: false, reason: `${err.code}: ${err.message}`, retry };
    }
    this.logger.error({ reqId, err, agentBillNo }, 'gateway recharge failed');
    return { ok: false, reason: 'internal error', retry: true };
  }
}

/** The body's fields as text; undefined when it is not a flat object of scalars. */
function flatFields(body: unknown): Record<string, string> | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
    else return undefined;
  }
  return out;
}
