import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Table `app_lock` (migration Init): one lease row per app, `token` its fencing counter. */
@Entity('app_lock')
export class AppLockEntity {
  @PrimaryColumn({ name: 'app_id', type: 'integer', primaryKeyConstraintName: 'app_lock_pkey' }) appId: number;
  @Column({ type: 'text', nullable: true }) owner: string | null;
  @Column({ type: 'bigint', default: 0 }) token: number;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
