import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';

export const IDEMPOTENT_KEY = 'ledger:idempotent';

/**
 * Makes a mutation idempotent on its `input.appId` + `input.orderNo`, in one
 * transaction with the business change (SPEC §6). `operation` names it in the
 * fingerprint, so the same orderNo on another operation is a reused key.
 */
export const Idempotent = (operation: string) =>
  applyDecorators(SetMetadata(IDEMPOTENT_KEY, operation), UseInterceptors(IdempotencyInterceptor));
