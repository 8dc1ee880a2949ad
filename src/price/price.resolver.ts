import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { SetPriceInput } from './dto/set-price.input';
import { Price } from './price.model';
import { PriceService } from './price.service';

@Resolver(() => Price)
export class PriceResolver {
  constructor(private readonly service: PriceService) {}

  @Query(() => [Price])
  @Roles(...ANY_ROLE)
  prices(): Promise<Price[]> {
    return this.service.list();
  }

  @Mutation(() => Price, { description: 'Sets an item price. Bills keep the prices they used.' })
  @Roles(ApiKeyRole.ADMIN)
  setPrice(@Args('input') input: SetPriceInput): Promise<Price> {
    return this.service.set(input);
  }
}
