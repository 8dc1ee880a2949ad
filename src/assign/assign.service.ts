import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * The Assign module (the seed's tb_assign): globally unique serials from one
 * PostgreSQL sequence starting at 100000000. Bills take their billId from it;
 * callers may take serials to use as order numbers. A sequence never hands out
 * a number twice, across instances and transactions (gaps are normal).
 */
@Injectable()
export class AssignService {
  constructor(private readonly db: EntityManager) {}

  async next(count: number): Promise<number[]> {
    const rows: { serial: number }[] = await this.db.query(
      `SELECT nextval('serial_seq') AS serial FROM generate_series(1, $1)`,
      [count],
    );
    return rows.map((r) => r.serial);
  }
}
