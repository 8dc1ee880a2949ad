import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { LedgerError } from './errors/ledger.error';

export { MAX_APP_ID, MAX_CENTS, ORDER_NO_PATTERN } from './limits';

function firstError(errors: ValidationError[], prefix = ''): { field: string; message: string } {
  const e = errors[0];
  const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
  if (e.constraints && Object.keys(e.constraints).length) {
    return { field, message: Object.values(e.constraints)[0] };
  }
  return e.children?.length ? firstError(e.children, field) : { field, message: 'is invalid' };
}

/**
 * The first string anywhere in an argument that holds a NUL character (U+0000),
 * by path. PostgreSQL cannot store NUL in text: let through, it fails the
 * write as a database error, which a client would retry forever (SPEC §8).
 */
export function nulCharacterAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      const found = nulCharacterAt(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Every GraphQL argument passes here (the global pipe): text with a NUL
 * character is refused whatever the field (one generic check rather than a
 * decorator per field), then class-validator failures become INVALID_ARGUMENT
 * naming the field (as `input.amount`).
 */
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
    // Every typed argument (GraphQL's all are; Nest reports them as type 'body' too). An untyped
    // body, the gateway callback's, is parsed and checked by its own handler, which answers `fail`.
    if (metadata.metatype && metadata.metatype !== Object) {
      const nul = nulCharacterAt(value, metadata.data ?? '');
      if (nul) throw LedgerError.invalid(nul, 'must not contain a NUL character (U+0000)');
    }
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      const field = err instanceof LedgerError ? (err.details.field as string | undefined) : undefined;
      if (!field || !metadata.data) throw err;
      const path = `${metadata.data}.${field}`;
      throw LedgerError.invalid(path, (err as Error).message.slice(field.length + 2));
    }
  }
}

export const ledgerValidationPipe = new LedgerValidationPipe();
