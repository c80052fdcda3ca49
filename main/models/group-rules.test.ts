import { describe, expect, it } from 'vitest'
import { compileModelPattern, ModelPatternSchema } from '@shared/dto/model-pattern'
import type { ChannelRecord, GroupRecord } from '../store/records'
import { channelFields, groupFields } from '../testing/factories'
import { exactModelPattern, MAX_GROUP_MEMBERS, planGroups } from './group-rules'
import { compareModels } from './model-sync'

const channel = (id: number, models: string[], extra: Partial<ChannelRecord> = {}): ChannelRecord => ({
  ...channelFields({ name: `c${id}`, models, modelMap: {} }),
  id,
  createdAt: 0,
  updatedAt: 0,
  ...extra
})
const group = (id: number, name: string, extra: Partial<GroupRecord> = {}): GroupRecord => ({ ...groupFields({ name }), id, createdAt: 0, updatedAt: 0, ...extra })

describe('compareModels', () => {
  it('lists new models in provider order and missing ones in channel order; a mapped model counts under either name', () => {
    const stored = { models: ['gpt-4', 'gpt-4o', 'old-model', 'alias'], modelMap: { alias: 'gpt-4.1' } }
    expect(compareModels(stored, ['o3', 'gpt-4.1', 'gpt-4o', 'gpt-5'])).toEqual({ added: ['o3', 'gpt-5'], missing: ['gpt-4', 'old-model'] })
    expect(compareModels(stored, [])).toEqual({ added: [], missing: ['gpt-4', 'gpt-4o', 'old-model', 'alias'] })
  })
})

describe('planGroups, pattern rules', () => {
  const groups = [
    group(1, 'claude', { modelPattern: '^claude-', members: [{ channelId: 3, model: 'claude-a', priority: 2, weight: 5 }] }),
    group(2, 'anything-opus', { modelPattern: 'opus' }),
    group(3, 'no-pattern'),
    group(4, 'other-channel-has-it', { modelPattern: '^claude-b$', members: [{ channelId: 9, model: 'claude-b', priority: 0, weight: 1 }] })
  ]

  it('adds (channel, model) with priority 0 and weight 1 to every group whose pattern matches, skipping members it already has', () => {
    const plan = planGroups({ channelId: 3, added: ['claude-a', 'claude-b', 'claude-opus-4', 'gpt-5'], groups, channels: [], autoGroups: false })
    expect(plan.additions).toEqual([
      {
        groupId: 1,
        members: [
          { channelId: 3, model: 'claude-b', priority: 0, weight: 1 },
          { channelId: 3, model: 'claude-opus-4', priority: 0, weight: 1 }
        ]
      },
      { groupId: 2, members: [{ channelId: 3, model: 'claude-opus-4', priority: 0, weight: 1 }] },
      { groupId: 4, members: [{ channelId: 3, model: 'claude-b', priority: 0, weight: 1 }] }
    ])
    expect(plan.creations).toEqual([])
    expect(plan.changes).toEqual([
      { name: 'claude', created: false, models: ['claude-b', 'claude-opus-4'] },
      { name: 'anything-opus', created: false, models: ['claude-opus-4'] },
      { name: 'other-channel-has-it', created: false, models: ['claude-b'] }
    ])
  })

  it('never takes a group past 500 members, and skips a stored pattern that no longer compiles', () => {
    const full = Array.from({ length: MAX_GROUP_MEMBERS - 1 }, (_, i) => ({ channelId: 50, model: `m${i}`, priority: 0, weight: 1 }))
    const plan = planGroups({
      channelId: 3,
      added: ['x-1', 'x-2', 'x-3'],
      groups: [group(1, 'nearly-full', { modelPattern: '^x-', members: full }), group(2, 'broken', { modelPattern: '(' })],
      channels: [],
      autoGroups: false
    })
    expect(plan.additions).toEqual([{ groupId: 1, members: [{ channelId: 3, model: 'x-1', priority: 0, weight: 1 }] }])
  })
})

describe('planGroups, autoGroups', () => {
  it('makes a group for each new model no group is named after, listing every channel with it in implicit order', () => {
    const channels = [
      channel(1, ['gpt-5'], { priority: 5, weight: 2 }),
      channel(2, ['gpt-5', 'o3'], { priority: 1, weight: 4 }),
      channel(3, ['gpt-5-alias'], { modelMap: { 'gpt-5-alias': 'gpt-5' } }),
      channel(4, ['gpt-5', 'o3'], { priority: 1, weight: 1, modelMap: { 'gpt-5': 'gpt-5-2025' } })
    ]
    const plan = planGroups({ channelId: 2, added: ['gpt-5', 'o3'], groups: [group(9, 'o3')], channels, autoGroups: true })
    expect(plan.additions).toEqual([])
    expect(plan.creations).toEqual([
      {
        name: 'gpt-5',
        mode: 'failover',
        enabled: true,
        fallback: [],
        errorRules: [],
        firstTokenTimeoutMs: null,
        totalTimeoutMs: null,
        maxAttempts: null,
        modelPattern: '^gpt-5$',
        members: [
          { channelId: 2, model: 'gpt-5', priority: 1, weight: 4 },
          { channelId: 4, model: 'gpt-5-2025', priority: 1, weight: 1 },
          { channelId: 1, model: 'gpt-5', priority: 5, weight: 2 }
        ]
      }
    ])
    expect(plan.changes).toEqual([{ name: 'gpt-5', created: true, models: ['gpt-5'] }])
  })

  it('makes nothing without the setting', () => {
    expect(planGroups({ channelId: 1, added: ['gpt-5'], groups: [], channels: [channel(1, ['gpt-5'])], autoGroups: false })).toEqual({ additions: [], creations: [], changes: [] })
  })

  it('gives an auto group a pattern that matches exactly its own name, whatever characters it has', () => {
    for (const name of ['gpt-4.1', 'a+b*c?(x)[y]{z}|w^$', 'anthropic/claude-3.5', 'back\\slash']) {
      const pattern = compileModelPattern(exactModelPattern(name))
      expect(pattern.test(name)).toBe(true)
      expect(pattern.test(`${name}x`)).toBe(false)
      expect(pattern.test(`x${name}`)).toBe(false)
    }
    expect(compileModelPattern(exactModelPattern('gpt-4.1')).test('gpt-4x1')).toBe(false)
    // The longest model name (200 characters, all escaped) still fits the 500-character limit.
    expect(ModelPatternSchema.safeParse(exactModelPattern('.'.repeat(200))).success).toBe(true)
  })
})

describe('ModelPatternSchema', () => {
  it('takes a regular expression or null; rejects one that does not compile, an empty one and one over 500 characters', () => {
    expect(ModelPatternSchema.parse('^claude-(opus|sonnet)-4')).toBe('^claude-(opus|sonnet)-4')
    expect(ModelPatternSchema.parse(null)).toBeNull()
    const bad = ModelPatternSchema.safeParse('claude-(')
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toMatch(/^is not a valid regular expression: Invalid regular expression: \/claude-\(\/: Unterminated group$/)
    expect(ModelPatternSchema.safeParse('').success).toBe(false)
    expect(ModelPatternSchema.safeParse('a'.repeat(500)).success).toBe(true)
    expect(ModelPatternSchema.safeParse('a'.repeat(501)).error?.issues[0]?.message).toBe('must be at most 500 characters')
  })

  it('matches anywhere in the name, case-sensitively', () => {
    expect(compileModelPattern('claude').test('anthropic/claude-x')).toBe(true)
    expect(compileModelPattern('Claude').test('claude-x')).toBe(false)
  })
})
