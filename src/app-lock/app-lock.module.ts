import { Global, Module } from '@nestjs/common';
import { AppLockService } from './app-lock.service';

/** The AppLock module: per-app leases. Its GraphQL API and the wait of money mutations come with the holds issue. */
@Global()
@Module({ providers: [AppLockService], exports: [AppLockService] })
export class AppLockModule {}
