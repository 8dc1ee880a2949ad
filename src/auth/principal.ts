import { registerEnumType } from '@nestjs/graphql';

export enum ApiKeyRole {
  ADMIN = 'ADMIN',
  OPERATOR = 'OPERATOR',
  APP = 'APP',
}
registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  description: 'What an API key may do (docs/roles.md).',
  valuesMap: {
    ADMIN: { description: 'Everything.' },
    OPERATOR: { description: 'Read any account; issueCoupon, assignSerials.' },
    APP: {
      description:
        'Bound to one appId: read it; pay, rollback, hold, captureHold, releaseHold, reconcile, assignSerials.',
    },
  },
});

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
