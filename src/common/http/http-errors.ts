import type { NextFunction, Request, Response } from 'express';
import { ERROR_SPEC, ErrorCode } from '../errors/error-codes';
import { GRAPHQL_LIMITS } from '../graphql/graphql.config';

/**
 * Refusals made in the Express layer, before Apollo (and so before any
 * resolver) sees the request. They answer in the GraphQL response shape with
 * the same extensions.code / retCode as every other error (SPEC §7).
 */
function refuse(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/json')
    .json({ errors: [{ message, extensions: { code, retCode: ERROR_SPEC[code].retCode, ...extra } }] });
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  length?: number;
}

/**
 * Turns body-parser failures (too large, malformed JSON, bad charset) into
 * INVALID_ARGUMENT answers instead of Express's HTML error page. Mounted right
 * after the body parsers.
 */
export function bodyErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as BodyParserError | null;
  if (!e || typeof e.type !== 'string' || typeof e.status !== 'number' || e.status >= 500) return next(err);
  if (e.type === 'entity.too.large') {
    return refuse(res, 413, ErrorCode.INVALID_ARGUMENT, `request body too large: the limit is ${e.limit} bytes`, {
      field: 'body',
      reason: 'BODY_TOO_LARGE',
      limitBytes: e.limit,
    });
  }
  const message = e.type === 'entity.parse.failed' ? 'request body is not valid JSON' : `bad request body (${e.type})`;
  refuse(res, e.status, ErrorCode.INVALID_ARGUMENT, message, { field: 'body', reason: 'BAD_REQUEST_BODY' });
}

/** A batched request (a JSON array of operations) may hold at most GRAPHQL_LIMITS.maxBatch operations. */
export function batchLimit(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'POST' && Array.isArray(req.body) && req.body.length > GRAPHQL_LIMITS.maxBatch) {
    return refuse(
      res,
      400,
      ErrorCode.INVALID_ARGUMENT,
      `batched request of ${req.body.length} operations: at most ${GRAPHQL_LIMITS.maxBatch} per request`,
      { field: 'body', reason: 'BATCH_TOO_LARGE', limit: GRAPHQL_LIMITS.maxBatch },
    );
  }
  next();
}

/**
 * While the process drains for shutdown, new requests are turned away with a
 * retryable SERVER_BUSY and `Connection: close`, so clients go to another
 * instance instead of queueing on this one.
 */
export function drainingGate(isDraining: () => boolean) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (!isDraining()) return next();
    res.set('Connection', 'close');
    refuse(res, 503, ErrorCode.SERVER_BUSY, 'server shutting down; retry (on another instance)', {
      retryAfterSeconds: 1,
    });
  };
}
