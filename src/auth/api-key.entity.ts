import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ApiKeyRole } from './principal';

/** Table `api_key` (migration Init): keys stored as the SHA-256 of the secret. */
@Entity('api_key')
@Unique('api_key_key_hash_key', ['keyHash'])
@Check('api_key_role_check', `role IN ('ADMIN','OPERATOR','APP')`)
@Check('api_key_app_role', `(role = 'APP') = (app_id IS NOT NULL)`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'api_key_pkey' }) id: string;
  @Column({ name: 'key_hash', type: 'text' }) keyHash: string;
  @Column({ type: 'text' }) role: ApiKeyRole;
  @Column({ name: 'app_id', type: 'integer', nullable: true }) appId: number | null;
  @Column({ type: 'text' }) label: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
