import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { Operation } from './command';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT_KEY } from './idempotent.metadata';

/**
 * Makes a mutation a ledger command, idempotent on its `input.appId` +
 * `input.orderNo` (SPEC §6): the handler returns a CommandSpec (what it alone
 * knows: origin, the operation's args) and the interceptor runs it as one
 * statement. `operation` names it in the fingerprint, so the same orderNo on
 * another operation is a reused key.
 */
export const Idempotent = (operation: Operation) =>
  applyDecorators(SetMetadata(IDEMPOTENT_KEY, operation), UseInterceptors(IdempotencyInterceptor));
