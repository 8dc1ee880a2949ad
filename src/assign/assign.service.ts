import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';

/**
 * The Assign module (the seed's tb_assign): globally unique serials from one
 * PostgreSQL sequence starting at 100000000. Bills take their billId from it;
 * callers may take serials to use as order numbers. A sequence never hands out
 * a number twice, across instances and transactions (gaps are normal).
 */
@Injectable()
export class AssignService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async next(count: number): Promise<number[]> {
    const rows: { serial: number }[] = await this.txHost.tx.query(
      `SELECT nextval('serial_seq') AS serial FROM generate_series(1, $1)`,
      [count],
    );
    return rows.map((r) => r.serial);
  }
}
