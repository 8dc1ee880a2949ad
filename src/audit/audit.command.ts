import { Command, CommandRunner } from 'nest-commander';
import { grouped, progressBar } from '../common/cli-progress';
import { AuditService } from './audit.service';

const PAGE = 1000;
const SHOWN = 50;

/** `npm run cli -- audit`: every account, a page of accounts per snapshot; exit code 1 on any break. */
@Command({ name: 'audit', description: 'Audit every account against its ledger (exit code 1 on any break)' })
export class AuditCommand extends CommandRunner {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async run(): Promise<void> {
    const total = await this.audit.accountCount();
    const bar = progressBar('audit');
    bar.start(total, 0);
    let done = 0;
    const broken: { appId: number; breaks: string[] }[] = [];
    let brokenCount = 0;
    for (let after = 0; ;) {
      const ids = await this.audit.accountIds(after, PAGE);
      if (!ids.length) break;
      for (const r of await this.audit.auditAccounts(ids)) {
        if (!r.ok) {
          brokenCount++;
          if (broken.length < SHOWN) broken.push({ appId: r.appId, breaks: r.breaks });
        }
      }
      done += ids.length;
      if (done > total) bar.setTotal(done); // accounts opened meanwhile
      bar.update(done);
      after = ids[ids.length - 1];
    }
    bar.stop();
    for (const b of broken) {
      console.log(`app ${b.appId}:`);
      for (const line of b.breaks) console.log(`  ${line}`);
    }
    if (brokenCount > broken.length)
      console.log(`... and ${grouped(brokenCount - broken.length)} more accounts with breaks`);
    console.log(
      brokenCount
        ? `Audit: ${grouped(brokenCount)} of ${grouped(done)} accounts have breaks`
        : `Audit: all ${grouped(done)} accounts agree with their ledgers`,
    );
    if (brokenCount) process.exitCode = 1;
  }
}
