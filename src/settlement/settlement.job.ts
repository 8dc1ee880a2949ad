import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { previousMonth } from '../common/calendar';
import type { LedgerEnv } from '../config/env';
import { SettlementService } from './settlement.service';

const JOB = 'monthly-settlement';

/**
 * Settles the month that just ended, on SETTLEMENT_CRON (default 00:05 on the
 * 1st) in LEDGER_TIMEZONE. Safe on every instance at once: each account is
 * settled under its lease and its statement key, so the instances share the
 * work and nothing is charged twice. The expression comes from the validated
 * config, so the job is registered at start-up rather than by a decorator.
 * Without the ScheduleModule (the CLI) there is no job.
 */
@Injectable()
export class SettlementJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SettlementJob.name);
  private job?: CronJob;

  constructor(
    private readonly settlement: SettlementService,
    private readonly config: ConfigService<LedgerEnv, true>,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const expr = this.config.get('SETTLEMENT_CRON', { infer: true });
    if (!this.registry || expr === 'off') return;
    const timeZone = this.config.get('LEDGER_TIMEZONE', { infer: true });
    this.job = CronJob.from({ cronTime: expr, timeZone, onTick: () => this.run(timeZone), start: false });
    this.registry.addCronJob(JOB, this.job);
    this.job.start();
  }

  onApplicationShutdown(): void {
    void this.job?.stop();
  }

  async run(timeZone: string): Promise<void> {
    const month = previousMonth(new Date(), timeZone);
    try {
      await this.settlement.settleMonth(month);
    } catch (err: unknown) {
      this.logger.error({ err }, `settlement of ${month} failed; it is safe to run again (settleMonth or the CLI)`);
    }
  }
}
