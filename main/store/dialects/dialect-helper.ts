import type { Knex } from 'knex'

/** SQL that differs between SQLite, PostgreSQL and MySQL/MariaDB, behind one interface. */
export interface DialectHelper {
  /**
   * Inserts rows; where the key already exists, adds the given columns to the stored values
   * (`x = x + excluded.x`), so several instances can share counters without losing any.
   */
  upsertAdd(
    trx: Knex,
    table: string,
    keyColumns: readonly string[],
    addColumns: readonly string[],
    rows: readonly Record<string, unknown>[]
  ): Promise<void>
  /** Floors an epoch-ms integer column to buckets of `bucketMs`, shifted by a time-zone offset. */
  timeBucket(knex: Knex, column: string, bucketMs: number, offsetMs: number): Knex.Raw
}
