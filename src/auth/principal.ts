import { registerEnumType } from '@nestjs/graphql';

export enum ApiKeyRole {
  ADMIN = 'ADMIN',
  OPERATOR = 'OPERATOR',
  APP = 'APP',
}
registerEnumType(ApiKeyRole, { name: 'ApiKeyRole' });

/** "an ADMIN key", "an OPERATOR key", "an APP key": for messages. */
export function keyOfRole(role: ApiKeyRole): string {
  return `${/^[AEIOU]/.test(role) ? 'an' : 'a'} ${role} key`;
}

/** Who is calling: resolved from the bearer key by the AuthGuard. */
export interface Principal {
  keyId: string;
  role: ApiKeyRole;
  /** Set for APP keys: the only app the key may act on. */
  appId: number | null;
  /** Recorded as the bill's `user` when the input gives none. */
  label: string;
}
