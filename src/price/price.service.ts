import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { SetPriceInput } from './dto/set-price.input';
import { PriceEntity } from './price.entity';
import { Price } from './price.model';

@Injectable()
export class PriceService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The price table, in the current transaction when there is one. */
  private get prices() {
    return this.txHost.tx.getRepository(PriceEntity);
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
