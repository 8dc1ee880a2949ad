import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { LedgerError } from '../common/errors/ledger.error';
import { MAX_CENTS } from '../common/validation';
import { SetPriceInput } from './dto/set-price.input';
import { Price, PriceBilling, PriceRow } from './price.model';

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

  async list(): Promise<Price[]> {
    const rows: PriceRow[] = await this.txHost.tx.query('SELECT * FROM price ORDER BY name');
    return rows.map(Price.fromRow);
  }

  async set(input: SetPriceInput): Promise<Price> {
    const rows: PriceRow[] = await this.txHost.tx.query(
      `INSERT INTO price (name, price, billing, info) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET price = EXCLUDED.price, billing = EXCLUDED.billing,
                                        info = EXCLUDED.info, updated_at = now()
       RETURNING *`,
      [input.name, input.price, input.billing, input.info],
    );
    return Price.fromRow(rows[0]);
  }

  /** Prices items at today's prices; the lines are the snapshot a bill keeps. */
  async quote(items: { name: string; quantity: number }[]): Promise<Quote> {
    const rows: PriceRow[] = await this.txHost.tx.query('SELECT * FROM price WHERE name = ANY($1)', [
      items.map((i) => i.name),
    ]);
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
