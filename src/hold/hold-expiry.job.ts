import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { LedgerEnv } from '../config/env';
import { HoldService } from './hold.service';

const BATCH = 100;
/** At most this many batches per tick, so one tick stays short; the next tick goes on. */
const MAX_BATCHES_PER_TICK = 20;

/**
 * Expires holds past their deadline every HOLD_EXPIRY_INTERVAL_MS (0 turns the
 * job off; captures and releases still expire lazily). Every instance runs it:
 * the batches lock with SKIP LOCKED, so instances share the work, and the
 * expiry bill's deterministic orderNo makes a double expiry impossible.
 * The interval is registered at bootstrap (not with @Interval) because it is
 * configuration, read through ConfigService rather than at import time.
 */
@Injectable()
export class HoldExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(HoldExpiryJob.name);
  private running = false;

  constructor(
    private readonly holds: HoldService,
    private readonly config: ConfigService<LedgerEnv, true>,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const ms = this.config.get('HOLD_EXPIRY_INTERVAL_MS', { infer: true });
    if (ms > 0)
      this.scheduler.addInterval(
        'hold-expiry',
        setInterval(() => void this.tick(), ms),
      );
  }

  /** One run; skipped while the previous one of this instance is still going. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      for (let i = 0; i < MAX_BATCHES_PER_TICK; i++) {
        const { picked, expired } = await this.holds.expireDue(BATCH);
        total += expired;
        if (picked < BATCH) break;
      }
      if (total) this.logger.log(`expired ${total} holds`);
    } catch (err: unknown) {
      // A failed batch rolled back as a whole: its holds stay OPEN and the next tick takes them again.
      this.logger.error({ err }, 'hold expiry batch failed');
    } finally {
      this.running = false;
    }
    return total;
  }
}
