import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeInt } from '../common/graphql/scalars';

export interface AppLockRow {
  app_id: number;
  owner: string | null;
  token: number;
  expires_at: Date | null;
}

@ObjectType({ description: 'A per-app lease for long work on one app (settlement, reconciliation, maintenance).' })
export class AppLock {
  @Field(() => Int, { description: "The app's id." }) appId: number;
  @Field({ description: 'True while an unexpired lease is held.' }) locked: boolean;
  @Field(() => String, { nullable: true, description: 'Who holds the lease; null when free.' }) owner: string | null;
  @Field(() => SafeInt, { description: 'Fencing token: grows on every acquisition.' }) token: number;
  @Field(() => Date, { nullable: true, description: 'When the lease ends by itself; null when free.' })
  expiresAt: Date | null;

  static fromRow(r: AppLockRow, now = new Date()): AppLock {
    const locked = r.owner !== null && r.expires_at !== null && r.expires_at > now;
    return Object.assign(new AppLock(), {
      appId: r.app_id,
      locked,
      owner: locked ? r.owner : null,
      token: r.token,
      expiresAt: locked ? r.expires_at : null,
    });
  }
}
