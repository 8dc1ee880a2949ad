import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { LedgerEnv } from '../config/env';
import { AdminKey } from './admin-key';
import { ApiKeyResolver } from './api-key.resolver';
import { ApiKeyService } from './api-key.service';
import { AuthGuard } from './auth.guard';

@Global()
@Module({
  providers: [
    {
      provide: AdminKey,
      inject: [ConfigService],
      useFactory: (config: ConfigService<LedgerEnv, true>) =>
        AdminKey.fromEnv({
          ADMIN_API_KEY: config.get('ADMIN_API_KEY'),
          DATA_DIR: config.get('DATA_DIR'),
        } as LedgerEnv),
    },
    ApiKeyService,
    ApiKeyResolver,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AdminKey, ApiKeyService],
})
export class AuthModule {}
