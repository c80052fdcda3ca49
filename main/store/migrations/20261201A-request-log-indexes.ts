import { dbClientOf } from '../knex'
import type { Migration } from './migration'

const TABLE = 'request_logs'
const UPSTREAM_MODEL_TIME = 'request_logs_upstream_model_time'
const FAILED_TIME = 'request_logs_failed_time'

/**
 * Indexes for the log list (newest first by `(time, id)`, see `request-log.page.ts`). The initial
 * `(x, time)` indexes already serve every equality filter in that order (SQLite and InnoDB append
 * the primary key to secondary indexes; PostgreSQL finishes ties with an incremental sort); this
 * adds the two filters that had none: the upstream model, and "errors" (`status >= 400`, a range
 * that `(status, time)` cannot return in time order). The latter is a partial index holding only
 * failed rows, small and cheap to maintain, where the engine has them (SQLite, PostgreSQL); there
 * it replaces `(status, time)`, which then only cost every insert (an exact status is served by
 * the partial index for errors and by `time` for the mostly-200 rest). MySQL/MariaDB have no
 * partial indexes, and their optimizer estimates the `status` range from `(status, time)` by
 * index dives instead of guessing like SQLite without statistics, so they keep it.
 */
export const requestLogIndexes: Migration = {
  name: '20261201A-request-log-indexes',
  async up(knex) {
    const partial = dbClientOf(knex) !== 'mysql'
    await knex.schema.alterTable(TABLE, table => {
      table.index(['upstream_model', 'time'], UPSTREAM_MODEL_TIME)
      if (partial) {
        table.index(['time'], FAILED_TIME, { predicate: knex.whereRaw('?? >= 400', ['status']) })
        table.dropIndex(['status', 'time'])
      }
    })
  },
  async down(knex) {
    const partial = dbClientOf(knex) !== 'mysql'
    await knex.schema.alterTable(TABLE, table => {
      table.dropIndex(['upstream_model', 'time'], UPSTREAM_MODEL_TIME)
      if (partial) {
        table.dropIndex(['time'], FAILED_TIME)
        table.index(['status', 'time'])
      }
    })
  }
}
