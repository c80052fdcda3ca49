import type { Knex } from 'knex'
import { dbClientOf } from '../knex'
import type { Migration } from './migration'

const COUNTERS = [
  'requests',
  'failures',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost',
  'latency_ms_sum',
  'first_token_ms_sum',
  'first_token_count'
] as const

/** `usage_hourly` with `upstream_model` in its key (plus the counter of requests without a price). */
async function createUsage(knex: Knex, name: string, withUpstreamModel: boolean): Promise<void> {
  const mysql = dbClientOf(knex) === 'mysql'
  await knex.schema.createTable(name, table => {
    if (mysql) {
      table.charset('utf8mb4')
      table.collate('utf8mb4_bin')
    }
    table.bigInteger('hour').notNullable()
    table.integer('api_key_id').notNullable()
    table.integer('channel_id').notNullable()
    table.string('model', 200).notNullable()
    if (withUpstreamModel) table.string('upstream_model', 200).notNullable().defaultTo('')
    table.bigInteger('requests').notNullable().defaultTo(0)
    table.bigInteger('failures').notNullable().defaultTo(0)
    table.bigInteger('input_tokens').notNullable().defaultTo(0)
    table.bigInteger('output_tokens').notNullable().defaultTo(0)
    table.bigInteger('cache_read_tokens').notNullable().defaultTo(0)
    table.bigInteger('cache_write_tokens').notNullable().defaultTo(0)
    table.double('cost').notNullable().defaultTo(0)
    if (withUpstreamModel) table.bigInteger('unpriced_requests').notNullable().defaultTo(0)
    table.bigInteger('latency_ms_sum').notNullable().defaultTo(0)
    table.bigInteger('first_token_ms_sum').notNullable().defaultTo(0)
    table.bigInteger('first_token_count').notNullable().defaultTo(0)
    const key = withUpstreamModel ? ['hour', 'api_key_id', 'channel_id', 'model', 'upstream_model'] : ['hour', 'api_key_id', 'channel_id', 'model']
    // Index names are per database on PostgreSQL: the rebuilt table's must not clash with the old one's.
    table.primary(key, `${name}_pkey`)
    table.index(['channel_id', 'hour'], `${name}_channel_hour`)
    table.index(['model', 'hour'], `${name}_model_hour`)
    table.index(['hour'], `${name}_hour`)
  })
}

/**
 * Usage by the model that answered, not only the one asked for (a group spans several models
 * with different prices), and a count of requests no price was known for. The key of
 * `usage_hourly` changes, which no engine alters in place: the table is rebuilt and its rows copied
 * (`upstream_model` '' for them). Groups also get a model-name pattern for model sync.
 */
export const usageByUpstreamModel: Migration = {
  name: '20261130A-usage-by-upstream-model',
  async up(knex) {
    await createUsage(knex, 'usage_hourly_v2', true)
    const columns = ['hour', 'api_key_id', 'channel_id', 'model', ...COUNTERS]
    await knex.raw(`INSERT INTO ?? (${columns.map(() => '??').join(', ')}) SELECT ${columns.map(() => '??').join(', ')} FROM ??`, [
      'usage_hourly_v2',
      ...columns,
      ...columns,
      'usage_hourly'
    ])
    await knex.schema.dropTable('usage_hourly')
    await knex.schema.renameTable('usage_hourly_v2', 'usage_hourly')
    await knex.schema.alterTable('groups', table => {
      table.string('model_pattern', 500).nullable()
    })
  },
  async down(knex) {
    await knex.schema.alterTable('groups', table => {
      table.dropColumn('model_pattern')
    })
    await createUsage(knex, 'usage_hourly_v1', false)
    const columns = ['hour', 'api_key_id', 'channel_id', 'model', ...COUNTERS]
    const sums = COUNTERS.map(() => 'SUM(??) AS ??').join(', ')
    await knex.raw(`INSERT INTO ?? (${columns.map(() => '??').join(', ')}) SELECT ??, ??, ??, ??, ${sums} FROM ?? GROUP BY ??, ??, ??, ??`, [
      'usage_hourly_v1',
      ...columns,
      'hour',
      'api_key_id',
      'channel_id',
      'model',
      ...COUNTERS.flatMap(c => [c, c]),
      'usage_hourly',
      'hour',
      'api_key_id',
      'channel_id',
      'model'
    ])
    await knex.schema.dropTable('usage_hourly')
    await knex.schema.renameTable('usage_hourly_v1', 'usage_hourly')
  }
}
