import { Global, Module } from '@nestjs/common';
import { AppLockResolver } from './app-lock.resolver';
import { AppLockService } from './app-lock.service';

/** The AppLock module: per-app leases, in PostgreSQL. Money commands wait for them (ledger_run). */
@Global()
@Module({ providers: [AppLockService, AppLockResolver], exports: [AppLockService] })
export class AppLockModule {}
