import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';
import type { AppLockEntity } from './app-lock.entity';

/** The stored lease, as the app_lock table (AppLockEntity) holds it. */
export type StoredLease = Pick<AppLockEntity, 'appId' | 'owner' | 'token' | 'expiresAt'>;

@ObjectType({ description: 'A per-app lease for long work on one app (settlement, reconciliation, maintenance).' })
export class AppLock {
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'True while an unexpired lease is held.' }) locked: boolean;
  @Field(() => String, { nullable: true, description: 'Who holds the lease; null when free.' }) owner: string | null;
  @Field(() => SafeInt, { description: 'Fencing token: grows on every acquisition.' }) token: number;
  @Field(() => Date, { nullable: true, description: 'When the lease ends by itself; null when free.' })
  expiresAt: Date | null;

  /** The lease as clients see it: an expired lease is free (no owner, no expiry). */
  static of(r: StoredLease, now = new Date()): AppLock {
    const locked = r.owner !== null && r.expiresAt !== null && r.expiresAt > now;
    return Object.assign(new AppLock(), {
      appId: r.appId,
      locked,
      owner: locked ? r.owner : null,
      token: r.token,
      expiresAt: locked ? r.expiresAt : null,
    });
  }
}
