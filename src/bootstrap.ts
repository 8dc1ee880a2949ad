import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { FastifyBodyErrorFilter, fastifyOptions, installFastifyHooks } from './common/http/http-errors';

/** Apps shutting down (the Nest app object is a Proxy that takes no new properties). */
const draining = new WeakSet<INestApplication>();

/** From now on the app turns new requests away (SERVER_BUSY, 503); those in flight finish. */
export function startDraining(app: INestApplication): void {
  draining.add(app);
}

/**
 * Creates the Nest app on a migrated database (shared by main.ts, tests and the bench).
 * Nest runs on Fastify: against Express it halved the service's CPU per request for
 * `{ __typename }`, replays and hot-account pays (README, Benchmark).
 */
export async function createApp(databaseUrl: string, opts: { logger?: boolean } = {}): Promise<INestApplication> {
  const adapter = new FastifyAdapter(fastifyOptions);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ databaseUrl }), adapter, {
    bufferLogs: true,
    logger: opts.logger === false ? false : undefined,
  });
  if (opts.logger !== false) app.useLogger(app.get(Logger));
  // Before Nest and Apollo register their routes (at init): the draining gate and the batch limit.
  installFastifyHooks(adapter.getInstance(), () => draining.has(app));
  // Body errors (size, JSON, media type) answered as INVALID_ARGUMENT.
  app.useGlobalFilters(new FastifyBodyErrorFilter(adapter));
  return app;
}
