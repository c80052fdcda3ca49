import { describe, expect, it } from 'vitest'
import type { ChannelRecord } from '../../store/records'
import { movableClock } from '../../testing/factories'
import type { RouteMember } from './route-table'
import { StickyRoute, StickySessions } from './sticky-sessions'

// first() reads only the channel id and the upstream model.
const member = (id: number, upstreamModel = 'm'): RouteMember => ({ channel: { id } as ChannelRecord, upstreamModel, priority: 0, weight: 1 }) as RouteMember
const target = (channelId: number) => ({ channelId, upstreamModel: 'm', fingerprint: `fp${channelId}` })
const ids = (plan: RouteMember[]): number[] => plan.map(m => m.channel.id)
const never = (): boolean => false

describe('StickySessions', () => {
  it('forgets the least recently used beyond its capacity, and expired entries', () => {
    const sessions = new StickySessions(2)
    sessions.set('a', target(1), 100)
    sessions.set('b', target(2), 100)
    expect(sessions.get('a', 0)?.channelId).toBe(1)
    sessions.set('c', target(3), 100)
    expect([sessions.get('b', 0), sessions.get('a', 0)?.channelId, sessions.get('c', 0)?.channelId]).toEqual([null, 1, 3])
    expect(sessions.get('a', 100)).toBeNull()
    expect(sessions.size).toBe(1)
  })
})

describe('StickyRoute', () => {
  const plan = [member(1), member(2), member(3)]

  it('moves the pinned member first and prefers its key; other requests keep the plan', () => {
    const sessions = new StickySessions()
    const clock = movableClock(0)
    new StickyRoute(sessions, { apiKeyId: 1, group: 'g', session: 'client:s' }, 1000, clock).answered(member(3), 'fp3', null)
    const route = new StickyRoute(sessions, { apiKeyId: 1, group: 'g', session: 'client:s' }, 1000, clock)
    expect([ids(route.first(plan, never)), route.keyFor(3), route.keyFor(1)]).toEqual([[3, 1, 2], 'fp3', null])
    // Another client key, group or session: no pin.
    for (const other of [{ apiKeyId: 2, group: 'g', session: 'client:s' }, { apiKeyId: 1, group: 'h', session: 'client:s' }, { apiKeyId: 1, group: 'g', session: null }]) {
      expect(ids(new StickyRoute(sessions, other, 1000, clock).first(plan, never))).toEqual([1, 2, 3])
    }
  })

  it('ignores a pin whose member left the group, serves another model or is cooling', () => {
    const sessions = new StickySessions()
    const clock = movableClock(0)
    const request = { apiKeyId: 1, group: 'g', session: 'cache:k' }
    new StickyRoute(sessions, request, 1000, clock).answered(member(2), 'fp2', null)
    const route = new StickyRoute(sessions, request, 1000, clock)
    expect(ids(route.first([member(1), member(3)], never))).toEqual([1, 3])
    expect(ids(route.first([member(1), member(2, 'other')], never))).toEqual([1, 2])
    expect(ids(route.first(plan, m => m.channel.id === 2))).toEqual([1, 2, 3])
  })

  it('pins a Responses answer by its id for the turn that names it in previous_response_id', () => {
    const sessions = new StickySessions()
    const clock = movableClock(0)
    new StickyRoute(sessions, { apiKeyId: 1, group: 'g', session: null }, 1000, clock).answered(member(2), 'fp2', 'resp_9')
    expect(ids(new StickyRoute(sessions, { apiKeyId: 1, group: 'g', session: 'resp:resp_9' }, 1000, clock).first(plan, never))).toEqual([2, 1, 3])
    clock.set(1000)
    expect(ids(new StickyRoute(sessions, { apiKeyId: 1, group: 'g', session: 'resp:resp_9' }, 1000, clock).first(plan, never))).toEqual([1, 2, 3])
  })
})
