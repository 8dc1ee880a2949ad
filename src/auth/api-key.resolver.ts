import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { ApiKeyService } from './api-key.service';
import { ApiKeyCreated, CreateApiKeyInput } from './dto/api-key.dto';
import { ApiKeyRole } from './principal';
import { Roles } from './roles.decorator';
import { ErrorCode as E } from '../common/errors/error-codes';
import { opDoc, WHO } from '../common/graphql/op-doc';

@Resolver()
export class ApiKeyResolver {
  constructor(private readonly keys: ApiKeyService) {}

  @Mutation(() => ApiKeyCreated, {
    description: opDoc('Creates an API key; its secret is in this answer only (stored as a hash).', {
      who: WHO.admin,
      idempotent: 'no: every call creates another key.',
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  createApiKey(
    @Args('input', { description: 'The role, app and label of the new key.' }) input: CreateApiKeyInput,
  ): Promise<ApiKeyCreated> {
    return this.keys.create(input.role, input.appId, input.label);
  }

  @Mutation(() => Boolean, {
    description: opDoc('Revokes an API key at once; true when it was active.', {
      who: WHO.admin,
      idempotent: 'yes: revoking a revoked key changes nothing.',
      errors: [E.NOT_FOUND],
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  revokeApiKey(@Args('id', { type: () => ID, description: 'The id createApiKey gave.' }) id: string): Promise<boolean> {
    return this.keys.revoke(id);
  }
}
