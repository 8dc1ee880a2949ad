import type { EntityManager } from 'typeorm';

/**
 * Runs SQL and returns its rows. TypeORM's `query()` answers UPDATE and DELETE
 * on PostgreSQL with `[rows, affectedCount]` instead of the rows (SELECT,
 * INSERT and CTE statements get the rows): this evens that out, so
 * `UPDATE ... RETURNING` reads like any other statement.
 */
export async function sqlRows<T>(tx: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await tx.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
