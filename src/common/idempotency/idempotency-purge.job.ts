import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { LedgerEnv } from '../../config/env';
import { IdempotencyService } from './idempotency.service';

/** Daily purge of dedupe rows past the retention (safe on every instance at once). */
@Injectable()
export class IdempotencyPurgeJob {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly config: ConfigService<LedgerEnv, true>,
  ) {}

  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'idempotency-purge' })
  async run(): Promise<void> {
    await this.idempotency.purge(this.config.get('IDEMPOTENCY_RETENTION_DAYS'));
  }
}
