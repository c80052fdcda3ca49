import type { Knex } from 'knex'

/** Runs `fn` in a transaction unless `db` already is one, so repositories compose inside callers' transactions. */
export async function inTransaction<T>(db: Knex, fn: (trx: Knex) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction(fn)
}
