import { Command, CommandRunner, Option } from 'nest-commander';
import { grouped, progressBar } from '../common/cli-progress';
import { SettlementService } from './settlement.service';

interface SettleOptions {
  month: string;
}

/** `npm run cli -- settle --month YYYY-MM`: what the cron does on the 1st, on demand. */
@Command({
  name: 'settle',
  description: 'Settle a month that has ended: statements and SETTLEMENT bills (safe to repeat)',
})
export class SettleCommand extends CommandRunner {
  constructor(private readonly settlement: SettlementService) {
    super();
  }

  @Option({ flags: '--month <YYYY-MM>', description: 'the month to settle, in LEDGER_TIMEZONE', required: true })
  parseMonth(v: string): string {
    return v;
  }

  async run(_args: string[], opts: SettleOptions): Promise<void> {
    const bar = progressBar(`settle ${opts.month}`);
    let started = false;
    const report = await this.settlement.settleMonth(opts.month, (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    });
    if (started) bar.stop();
    console.log(`Settlement of ${report.month}:`);
    console.log(`  accounts         ${grouped(report.accounts)}`);
    console.log(`  new statements   ${grouped(report.settled)}`);
    console.log(`  already settled  ${grouped(report.alreadySettled)}`);
    console.log(`  lease busy       ${grouped(report.locked)}${report.locked ? '  (run again to settle them)' : ''}`);
    console.log(`  charged          ${grouped(report.charged)} accounts, ${grouped(report.totalCharged)} cents`);
    console.log(`  frozen (arrears) ${grouped(report.frozen)}`);
    if (report.locked) process.exitCode = 1;
  }
}
