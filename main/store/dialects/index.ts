import type { Knex } from 'knex'
import { dbClientOf } from '../knex'
import type { DialectHelper } from './dialect-helper'

export type { DialectHelper }

/** Adds `excluded` (PostgreSQL, SQLite) or `VALUES()` (MySQL) values to the stored ones. */
function additiveUpsert(excluded: (column: string) => string): DialectHelper['upsertAdd'] {
  return async (trx, table, keyColumns, addColumns, rows) => {
    if (rows.length === 0) return
    const merge: Record<string, Knex.Raw> = {}
    for (const column of addColumns) {
      merge[column] = trx.raw(`??.?? + ${excluded(column)}`, [table, column, column])
    }
    await trx(table).insert(rows).onConflict([...keyColumns]).merge(merge)
  }
}

/** better-sqlite3 binds JS numbers as REAL, which would make `/` a float division: cast to integers. */
const INTEGER_BUCKET = '((?? + CAST(? AS BIGINT)) / CAST(? AS BIGINT)) * CAST(? AS BIGINT) - CAST(? AS BIGINT)'

const sqliteOrPostgres: DialectHelper = {
  upsertAdd: additiveUpsert(() => 'excluded.??'),
  timeBucket: (knex, column, bucketMs, offsetMs) => knex.raw(INTEGER_BUCKET, [column, offsetMs, bucketMs, bucketMs, offsetMs])
}

const mysql: DialectHelper = {
  upsertAdd: additiveUpsert(() => 'VALUES(??)'),
  timeBucket: (knex, column, bucketMs, offsetMs) =>
    knex.raw('((?? + ?) DIV ?) * ? - ?', [column, offsetMs, bucketMs, bucketMs, offsetMs])
}

/** The helper for the engine behind `knex`. */
export function dialectFor(knex: Knex): DialectHelper {
  return dbClientOf(knex) === 'mysql' ? mysql : sqliteOrPostgres
}
