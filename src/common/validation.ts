import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { LedgerError } from './errors/ledger.error';

/** `orderNo`: 1–64 characters of [A-Za-z0-9_.:-] (SPEC §6). */
export const ORDER_NO_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MAX_CENTS = Number.MAX_SAFE_INTEGER;
export const MAX_APP_ID = 2147483647;

function firstError(errors: ValidationError[], prefix = ''): { field: string; message: string } {
  const e = errors[0];
  const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
  if (e.constraints && Object.keys(e.constraints).length) {
    return { field, message: Object.values(e.constraints)[0] };
  }
  return e.children?.length ? firstError(e.children, field) : { field, message: 'is invalid' };
}

/** class-validator failures become INVALID_ARGUMENT naming the field (as `input.amount`). */
class LedgerValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      forbidUnknownValues: false,
      exceptionFactory: (errors) => {
        const { field, message } = firstError(errors);
        return LedgerError.invalid(field, message);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // PostgreSQL text cannot hold NUL: unchecked, it fails the query (a DB_WRITE_ERROR for a client's input).
    const nul = nulPath(value, metadata.data ?? '');
    if (nul !== undefined) throw LedgerError.invalid(nul, 'must not contain a NUL character');
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      const field = err instanceof LedgerError ? (err.details.field as string | undefined) : undefined;
      if (!field || !metadata.data) throw err;
      const path = `${metadata.data}.${field}`;
      throw LedgerError.invalid(path, err.message.slice(field.length + 2));
    }
  }
}

/** The path of the first string holding a NUL character (`input.items[0].name`), if any. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulPath(v, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nulPath(v, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export const ledgerValidationPipe = new LedgerValidationPipe();
