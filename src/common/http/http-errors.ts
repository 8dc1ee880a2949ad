import { ArgumentsHost, Catch, HttpException, HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ERROR_SPEC, ErrorCode } from '../errors/error-codes';
import { GRAPHQL_LIMITS } from '../graphql/graphql.config';

/**
 * The HTTP layer (Fastify): its options, and the refusals made before Apollo
 * (and so before any resolver) sees a request: draining, batch size, body size,
 * malformed bodies. They answer in the GraphQL response shape with the same
 * extensions.code / retCode as every other error (SPEC §7).
 */

/** Request bodies above this are refused with 413 INVALID_ARGUMENT (SPEC §8); JSON and form bodies alike. */
export const MAX_BODY_BYTES = 1024 * 1024;

const GRAPHQL_PATH = '/graphql';

export function refusal(
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): { status: number; body: { errors: unknown[] } } {
  return { status, body: { errors: [{ message, extensions: { code, retCode: ERROR_SPEC[code].retCode, ...extra } }] } };
}

/** Fastify's options: the body limit, the proxy we trust, the request id shared with the logs. */
export const fastifyOptions = {
  bodyLimit: MAX_BODY_BYTES,
  // The client IP recorded on bills: behind a local proxy, trust its X-Forwarded-For.
  trustProxy: 'loopback',
  // Requests that arrive while the server closes get the draining gate's SERVER_BUSY
  // (installFastifyHooks), not Fastify's own 503 body.
  return503OnClosing: false,
  // The request's id (FastifyRequest.id): the caller's X-Request-Id or a UUID. One id in a masked error's
  // `requestId` and in the log lines made inside the request (`reqId`: they name it themselves, nothing
  // carries it implicitly; src/app.module.ts says why).
  genReqId: (raw: IncomingMessage): string => (raw.headers['x-request-id'] as string | undefined) ?? randomUUID(),
};

function send(reply: FastifyReply, r: ReturnType<typeof refusal>): void {
  void reply.status(r.status).type('application/json').send(r.body);
}

/**
 * Registers the hooks; before Nest and Apollo add their routes (hooks apply to
 * the routes registered after them).
 */
export function installFastifyHooks(fastify: FastifyInstance, isDraining: () => boolean): void {
  // While the process drains for shutdown: a retryable SERVER_BUSY and `Connection: close`.
  fastify.addHook('onRequest', (_req, reply, done) => {
    if (!isDraining()) return done();
    reply.header('Connection', 'close');
    send(
      reply,
      refusal(503, ErrorCode.SERVER_BUSY, 'server shutting down; retry (on another instance)', {
        retryAfterSeconds: 1,
      }),
    );
  });
  // A batched request (a JSON array of operations) may hold at most GRAPHQL_LIMITS.maxBatch operations.
  fastify.addHook('preHandler', (req: FastifyRequest, reply, done) => {
    const body = req.body;
    if (req.method !== 'POST' || !Array.isArray(body) || body.length <= GRAPHQL_LIMITS.maxBatch) return done();
    if (req.routeOptions.url !== GRAPHQL_PATH) return done();
    send(
      reply,
      refusal(
        400,
        ErrorCode.INVALID_ARGUMENT,
        `batched request of ${body.length} operations: at most ${GRAPHQL_LIMITS.maxBatch} per request`,
        { field: 'body', reason: 'BATCH_TOO_LARGE', limit: GRAPHQL_LIMITS.maxBatch },
      ),
    );
  });
}

/**
 * Fastify's body errors (too large, malformed JSON, unsupported media type) as
 * INVALID_ARGUMENT answers instead of Fastify's own JSON. Everything else goes
 * on as before: HTTP errors to Nest's default handling, GraphQL ones rethrown to
 * the GraphQL layer.
 */
@Catch()
export class FastifyBodyErrorFilter extends BaseExceptionFilter {
  constructor(adapter: HttpServer) {
    super(adapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    // Nest's Fastify adapter hands Fastify's own (4xx) errors on as an HttpException with the error as `cause`.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    const e = cause as { code?: string; statusCode?: number; message?: string } | null;
    const status = e?.statusCode;
    if (typeof e?.code !== 'string' || !e.code.startsWith('FST_') || typeof status !== 'number' || status >= 500) {
      return super.catch(exception, host);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(
        reply,
        refusal(413, ErrorCode.INVALID_ARGUMENT, `request body too large: the limit is ${MAX_BODY_BYTES} bytes`, {
          field: 'body',
          reason: 'BODY_TOO_LARGE',
          limitBytes: MAX_BODY_BYTES,
        }),
      );
    }
    const message =
      e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'request body is not valid JSON' : `bad request body (${e.message})`;
    send(reply, refusal(status, ErrorCode.INVALID_ARGUMENT, message, { field: 'body', reason: 'BAD_REQUEST_BODY' }));
  }
}
