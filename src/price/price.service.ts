import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { LedgerError } from '../common/errors/ledger.error';
import { MAX_CENTS } from '../common/validation';
import { SetPriceInput } from './dto/set-price.input';
import { In } from 'typeorm';
import { PriceEntity } from './price.entity';
import { Price, PriceBilling } from './price.model';

export interface QuoteLine {
  name: string;
  quantity: number;
  unitPrice: number;
  billing: PriceBilling;
  subtotal: number;
}

export interface Quote {
  lines: QuoteLine[];
  total: number;
}

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

  /** Prices items at today's prices; the lines are the snapshot a bill keeps. */
  async quote(items: { name: string; quantity: number }[]): Promise<Quote> {
    const rows = await this.prices.findBy({ name: In(items.map((i) => i.name)) });
    const byName = new Map(rows.map((r) => [r.name, r]));
    let total = 0;
    const lines = items.map((item, i) => {
      const p = byName.get(item.name);
      if (!p) throw LedgerError.invalid(`input.items[${i}].name`, `unknown item "${item.name}"`);
      const subtotal = p.price * item.quantity;
      total += subtotal;
      return { name: item.name, quantity: item.quantity, unitPrice: p.price, billing: p.billing, subtotal };
    });
    if (!Number.isSafeInteger(total) || total > MAX_CENTS) {
      throw LedgerError.invalid('input.items', 'the total exceeds 2^53-1 cents');
    }
    return { lines, total };
  }
}
