import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { LedgerEnv } from '../config/env';
import { AdminKey } from './admin-key';
import { ApiKeyResolver } from './api-key.resolver';
import { ApiKeyService } from './api-key.service';
import { AuthGuard } from './auth.guard';
import { rateLimitOptions, RateLimitGuard } from './rate-limit.guard';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<LedgerEnv, true>) =>
        rateLimitOptions({ RATE_LIMIT_PER_MINUTE: config.get('RATE_LIMIT_PER_MINUTE') }),
    }),
  ],
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
    // Global guards run in this order: authenticate first, then count against the key's rate limit.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [AdminKey, ApiKeyService],
})
export class AuthModule {}
