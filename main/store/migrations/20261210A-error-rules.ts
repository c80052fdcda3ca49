import type { Migration } from './migration'

/**
 * Error rules of channels and groups (JSON text, like the other list columns). Nullable because
 * MariaDB and MySQL give TEXT no plain default; the repositories read NULL as no rules, so rows
 * written before this step need no backfill.
 */
export const errorRules: Migration = {
  name: '20261210A-error-rules',
  async up(knex) {
    for (const name of ['channels', 'groups']) {
      await knex.schema.alterTable(name, table => {
        table.text('error_rules').nullable()
      })
    }
  },
  async down(knex) {
    for (const name of ['channels', 'groups']) {
      await knex.schema.alterTable(name, table => {
        table.dropColumn('error_rules')
      })
    }
  }
}
