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
