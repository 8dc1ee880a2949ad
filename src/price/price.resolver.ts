import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { SetPriceInput } from './dto/set-price.input';
import { Price } from './price.model';
import { PriceService } from './price.service';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => Price)
export class PriceResolver {
  constructor(private readonly service: PriceService) {}

  @Query(() => [Price], {
    description: opDoc('Every item price.', { who: WHO.any, idempotent: IDEMPOTENT.read, query: true }),
  })
  @Roles(...ANY_ROLE)
  prices(): Promise<Price[]> {
    return this.service.list();
  }

  @Mutation(() => Price, {
    description: opDoc('Sets (creates or replaces) an item price. Bills keep the prices they used.', {
      who: WHO.admin,
      idempotent: 'yes: the same input leaves the same price.',
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  setPrice(@Args('input', { description: 'The item and its price.' }) input: SetPriceInput): Promise<Price> {
    return this.service.set(input);
  }
}
