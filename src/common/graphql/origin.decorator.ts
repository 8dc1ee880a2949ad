import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Origin } from '../idempotency/command';
import { requestOf } from './request';

export interface RequestOrigin {
  /** The calling key's label: the bill's `user` when the input gives none. */
  label: string | null;
  srcIp: string | null;
}

/** Who called and from which address, for the bill. */
export const CurrentOrigin = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestOrigin => {
  const req = requestOf(ctx);
  return { label: req.principal?.label ?? null, srcIp: req.ip ?? req.socket?.remoteAddress ?? null };
});

/** A command's origin: the bill's `user` is the input's when it gives one (`BilledOrderInput`), else the key's label. */
export function commandOrigin(o: RequestOrigin, user?: string | null): Origin {
  return { user: user ?? o.label, srcIp: o.srcIp };
}
