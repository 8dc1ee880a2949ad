import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { ApiKeyService } from './api-key.service';
import { ApiKeyCreated, CreateApiKeyInput } from './dto/api-key.dto';
import { ApiKeyRole } from './principal';
import { Roles } from './roles.decorator';

@Resolver()
export class ApiKeyResolver {
  constructor(private readonly keys: ApiKeyService) {}

  @Mutation(() => ApiKeyCreated)
  @Roles(ApiKeyRole.ADMIN)
  createApiKey(@Args('input') input: CreateApiKeyInput): Promise<ApiKeyCreated> {
    return this.keys.create(input.role, input.appId, input.label);
  }

  @Mutation(() => Boolean)
  @Roles(ApiKeyRole.ADMIN)
  revokeApiKey(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.keys.revoke(id);
  }
}
