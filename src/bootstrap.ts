import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { batchLimit, bodyErrorHandler, drainingGate } from './common/http/http-errors';

/** Request bodies above this are refused with 413 INVALID_ARGUMENT (SPEC §8). */
export const MAX_BODY = '1mb';

/** Apps shutting down (the Nest app object is a Proxy that takes no new properties). */
const draining = new WeakSet<INestApplication>();

/** From now on the app turns new requests away (SERVER_BUSY, 503); those in flight finish. */
export function startDraining(app: INestApplication): void {
  draining.add(app);
}

/** Creates the Nest app on a migrated database (shared by main.ts, tests and the bench). */
export async function createApp(databaseUrl: string, opts: { logger?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ databaseUrl }), {
    bufferLogs: true,
    logger: opts.logger === false ? false : undefined,
  });
  if (opts.logger !== false) app.useLogger(app.get(Logger));
  // The client IP recorded on bills: behind a local proxy, trust its X-Forwarded-For.
  app.set('trust proxy', 'loopback');
  // Express middleware in this order, all before Nest's routes and Apollo:
  // the draining gate, the body parsers, their error handler, the batch limit.
  app.use(drainingGate(() => draining.has(app)));
  app.useBodyParser('json', { limit: MAX_BODY });
  app.useBodyParser('urlencoded', { limit: MAX_BODY, extended: false });
  app.use(bodyErrorHandler);
  app.use('/graphql', batchLimit);
  return app;
}
