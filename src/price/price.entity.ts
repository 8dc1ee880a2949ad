import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { PriceBilling } from './price.model';

/** Table `price` (migration Init): a small reference table of unit prices. */
@Entity('price')
@Check('price_price_check', 'price >= 0 AND price <= 9007199254740991')
@Check('price_billing_check', `billing IN ('ONE_TIME','MONTHLY')`)
export class PriceEntity {
  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'price_pkey' }) name: string;
  @Column({ type: 'bigint' }) price: number;
  @Column({ type: 'text' }) billing: PriceBilling;
  @Column({ type: 'text', default: '' }) info: string;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
