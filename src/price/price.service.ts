import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SetPriceInput } from './dto/set-price.input';
import { PriceEntity } from './price.entity';
import { Price } from './price.model';

@Injectable()
export class PriceService {
  constructor(private readonly db: EntityManager) {}

  private get prices() {
    return this.db.getRepository(PriceEntity);
  }

  list(): Promise<Price[]> {
    return this.prices.find({ order: { name: 'ASC' } });
  }

  async set(input: SetPriceInput): Promise<Price> {
    const { name, price, billing, info } = input;
    await this.prices.upsert({ name, price, billing, info, updatedAt: () => 'now()' }, ['name']);
    return this.prices.findOneByOrFail({ name });
  }
}
