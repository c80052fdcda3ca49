import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXED_NOW, movableClock } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import { SettingRepository } from './setting.repository'

describe.each(testDatabaseClients())('SettingRepository on %s', client => {
  let db: TestDatabase
  let settings: SettingRepository
  const clock = movableClock()

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, clock)
    settings = new SettingRepository(db.knex, clock)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  it('answers the defaults when nothing is stored', async () => {
    expect(await settings.getAll()).toEqual(DEFAULT_SETTINGS)
    expect(DEFAULT_SETTINGS.maxAttempts).toBe(3)
    expect(DEFAULT_SETTINGS.captureBodies).toBe(false)
  })

  it('update writes the patch and returns the merged settings', async () => {
    clock.set(FIXED_NOW)
    const merged = await settings.update({ maxAttempts: 7, captureBodies: true })
    expect(merged).toEqual({ ...DEFAULT_SETTINGS, maxAttempts: 7, captureBodies: true })
    expect(await settings.getAll()).toEqual(merged)

    clock.set(FIXED_NOW + 1_000)
    const second = await settings.update({ maxAttempts: 2, logRetentionDays: 90, connectTimeoutMs: undefined })
    expect(second).toEqual({ ...DEFAULT_SETTINGS, maxAttempts: 2, captureBodies: true, logRetentionDays: 90 })

    const rows = (await db.knex('settings').select('key', 'value', 'updated_at').orderBy('key')) as Array<
      Record<string, unknown>
    >
    expect(rows.map(r => [r.key, r.value, Number(r.updated_at)])).toEqual([
      ['captureBodies', 'true', FIXED_NOW],
      ['logRetentionDays', '90', FIXED_NOW + 1_000],
      ['maxAttempts', '2', FIXED_NOW + 1_000]
    ])
    clock.set(FIXED_NOW)
  })

  it('falls back to the default for invalid or unknown stored values', async () => {
    await db.knex('settings').where({ key: 'maxAttempts' }).update({ value: '999' })
    await db.knex('settings').insert([
      { key: 'idleTimeoutMs', value: 'not json at all', updated_at: FIXED_NOW },
      { key: 'bodyCaptureLimitBytes', value: '"65536"', updated_at: FIXED_NOW },
      { key: 'noSuchSetting', value: '1', updated_at: FIXED_NOW }
    ])
    const all = await settings.getAll()
    expect(all).toEqual({ ...DEFAULT_SETTINGS, captureBodies: true, logRetentionDays: 90 })
    expect(all.maxAttempts).toBe(3)
    expect(Object.keys(all)).not.toContain('noSuchSetting')

    const fixed = await settings.update({ idleTimeoutMs: 1_234 })
    expect(fixed.idleTimeoutMs).toBe(1_234)
    expect(fixed.maxAttempts).toBe(3)
  })

  it('round-trips internal values and keeps them out of the settings', async () => {
    expect(await settings.getInternal('_jwt_secret')).toBeNull()
    clock.set(FIXED_NOW)
    await settings.setInternal('_jwt_secret', 'first')
    expect(await settings.getInternal('_jwt_secret')).toBe('first')
    clock.set(FIXED_NOW + 2_000)
    await settings.setInternal('_jwt_secret', 'second value with "quotes" and ünïcode')
    expect(await settings.getInternal('_jwt_secret')).toBe('second value with "quotes" and ünïcode')
    const rows = (await db.knex('settings').where({ key: '_jwt_secret' })) as Array<Record<string, unknown>>
    expect(rows).toHaveLength(1)
    expect(Number(rows[0]?.updated_at)).toBe(FIXED_NOW + 2_000)
    expect(Object.keys(await settings.getAll())).not.toContain('_jwt_secret')
    clock.set(FIXED_NOW)
  })
})
