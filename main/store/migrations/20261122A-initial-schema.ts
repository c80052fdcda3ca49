import type { Knex } from 'knex'
import { dbClientOf } from '../knex'
import type { Migration } from './migration'

/** Columns every mutable resource has; times are epoch milliseconds on every engine. */
function timestamps(table: Knex.CreateTableBuilder): void {
  table.bigInteger('created_at').notNullable()
  table.bigInteger('updated_at').notNullable()
}

/**
 * MySQL/MariaDB compare text case-insensitively by default, which would merge `gpt-4` and `GPT-4`
 * in unique names and usage keys; binary collation makes them compare as the other engines do.
 */
function exactText(table: Knex.CreateTableBuilder, mysql: boolean): void {
  if (!mysql) return
  table.charset('utf8mb4')
  table.collate('utf8mb4_bin')
}

/** Long text: TEXT is 64 KiB on MySQL, too small for captured bodies and key lists. */
function longText(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.text(name, 'mediumtext')
}

/** The schema of DESIGN §3. */
export const initialSchema: Migration = {
  name: '20261122A-initial-schema',
  async up(knex) {
    const mysql = dbClientOf(knex) === 'mysql'
    await knex.schema.createTable('users', table => {
      exactText(table, mysql)
      table.increments('id')
      table.string('username', 100).notNullable().unique()
      table.string('password_hash', 255).notNullable()
      table.integer('session_epoch').notNullable().defaultTo(0)
      timestamps(table)
    })
    await knex.schema.createTable('channels', table => {
      exactText(table, mysql)
      table.increments('id')
      table.string('name', 100).notNullable().unique()
      table.string('type', 32).notNullable()
      table.text('base_urls').notNullable()
      longText(table, 'keys').notNullable()
      longText(table, 'models').notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      table.integer('priority').notNullable().defaultTo(0)
      table.integer('weight').notNullable().defaultTo(1)
      table.text('headers').notNullable()
      table.text('proxy').nullable()
      table.text('timeouts').notNullable()
      longText(table, 'model_map').notNullable()
      table.boolean('auto_sync').notNullable().defaultTo(false)
      timestamps(table)
    })
    await knex.schema.createTable('groups', table => {
      exactText(table, mysql)
      table.increments('id')
      table.string('name', 200).notNullable().unique()
      table.string('mode', 32).notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      table.text('fallback').notNullable()
      table.integer('first_token_timeout_ms').nullable()
      table.integer('total_timeout_ms').nullable()
      table.integer('max_attempts').nullable()
      timestamps(table)
    })
    await knex.schema.createTable('group_members', table => {
      exactText(table, mysql)
      table.increments('id')
      table.integer('group_id').unsigned().notNullable().references('id').inTable('groups').onDelete('CASCADE')
      table.integer('channel_id').unsigned().notNullable().references('id').inTable('channels').onDelete('CASCADE')
      table.string('model', 200).notNullable()
      table.integer('priority').notNullable().defaultTo(0)
      table.integer('weight').notNullable().defaultTo(1)
      table.integer('position').notNullable().defaultTo(0)
      table.unique(['group_id', 'channel_id', 'model'])
      table.index(['channel_id'])
    })
    await knex.schema.createTable('api_keys', table => {
      exactText(table, mysql)
      table.increments('id')
      table.string('name', 100).notNullable().unique()
      table.string('key_hash', 64).notNullable().unique()
      table.string('key_prefix', 16).notNullable()
      table.text('allowed_groups').nullable()
      table.text('limits').notNullable()
      table.bigInteger('expires_at').nullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      timestamps(table)
    })
    await knex.schema.createTable('prices', table => {
      exactText(table, mysql)
      table.increments('id')
      table.string('model', 200).notNullable()
      table.string('source', 16).notNullable()
      table.integer('channel_id').unsigned().nullable().references('id').inTable('channels').onDelete('CASCADE')
      table.double('input').notNullable().defaultTo(0)
      table.double('output').notNullable().defaultTo(0)
      table.double('cache_read').notNullable().defaultTo(0)
      table.double('cache_write').notNullable().defaultTo(0)
      table.text('extra').nullable()
      table.bigInteger('updated_at').notNullable()
      table.index(['model'])
      table.index(['channel_id'])
    })
    await knex.schema.createTable('usage_hourly', table => {
      exactText(table, mysql)
      table.bigInteger('hour').notNullable()
      table.integer('api_key_id').notNullable()
      table.integer('channel_id').notNullable()
      table.string('model', 200).notNullable()
      table.bigInteger('requests').notNullable().defaultTo(0)
      table.bigInteger('failures').notNullable().defaultTo(0)
      table.bigInteger('input_tokens').notNullable().defaultTo(0)
      table.bigInteger('output_tokens').notNullable().defaultTo(0)
      table.bigInteger('cache_read_tokens').notNullable().defaultTo(0)
      table.bigInteger('cache_write_tokens').notNullable().defaultTo(0)
      table.double('cost').notNullable().defaultTo(0)
      table.bigInteger('latency_ms_sum').notNullable().defaultTo(0)
      table.bigInteger('first_token_ms_sum').notNullable().defaultTo(0)
      table.bigInteger('first_token_count').notNullable().defaultTo(0)
      table.primary(['hour', 'api_key_id', 'channel_id', 'model'])
      table.index(['channel_id', 'hour'])
      table.index(['model', 'hour'])
    })
    await knex.schema.createTable('request_logs', table => {
      exactText(table, mysql)
      table.bigIncrements('id')
      table.bigInteger('time').notNullable()
      table.string('request_id', 64).notNullable().unique()
      table.integer('api_key_id').nullable()
      table.string('client_protocol', 32).notNullable()
      table.string('requested_model', 200).notNullable()
      table.integer('channel_id').nullable()
      table.string('upstream_model', 200).nullable()
      table.boolean('stream').notNullable().defaultTo(false)
      table.integer('status').notNullable()
      table.text('attempts').notNullable()
      table.integer('latency_ms').notNullable()
      table.integer('first_token_ms').nullable()
      table.integer('input_tokens').notNullable().defaultTo(0)
      table.integer('output_tokens').notNullable().defaultTo(0)
      table.integer('cache_read_tokens').notNullable().defaultTo(0)
      table.integer('cache_write_tokens').notNullable().defaultTo(0)
      table.double('cost').nullable()
      table.text('error').nullable()
      longText(table, 'request_body').nullable()
      longText(table, 'response_body').nullable()
      table.index(['time'])
      table.index(['api_key_id', 'time'])
      table.index(['channel_id', 'time'])
      table.index(['requested_model', 'time'])
      table.index(['status', 'time'])
    })
    await knex.schema.createTable('settings', table => {
      exactText(table, mysql)
      table.string('key', 100).primary()
      table.text('value').notNullable()
      table.bigInteger('updated_at').notNullable()
    })
  },
  async down(knex) {
    for (const table of [
      'settings',
      'request_logs',
      'usage_hourly',
      'prices',
      'api_keys',
      'group_members',
      'groups',
      'channels',
      'users'
    ]) {
      await knex.schema.dropTableIfExists(table)
    }
  }
}
