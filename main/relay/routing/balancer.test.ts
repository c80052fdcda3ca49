import { describe, expect, it } from 'vitest'
import { BALANCE_MODES, type BalanceMode } from '@shared/constants/protocol'
import type { ChannelRecord } from '../../store/records'
import { createBalancer, memberIdentity } from './balancer'
import type { RouteGroup, RouteMember } from './route-table'

function channel(id: number): ChannelRecord {
  return {
    id,
    name: `ch${id}`,
    type: 'openai-chat',
    baseUrls: ['https://example.test'],
    keys: ['sk-test'],
    models: ['m'],
    enabled: true,
    priority: 0,
    weight: 1,
    headers: {},
    proxy: null,
    timeouts: {},
    modelMap: {},
    autoSync: false,
    azure: null,
    antigravity: null,
    errorRules: [],
    createdAt: 0,
    updatedAt: 0
  }
}

/** A fresh member object each call, as a route-table rebuild produces. */
function member(id: number, priority = 0, weight = 1, upstreamModel = 'm'): RouteMember {
  return { channel: channel(id), upstreamModel, priority, weight, errorRules: [] }
}

function group(mode: BalanceMode, members: RouteMember[], name = 'g'): RouteGroup {
  return { name, mode, enabled: true, implicit: false, maxAttempts: null, totalTimeoutMs: null, members, fallbacks: [] }
}

const ids = (members: readonly RouteMember[]): number[] => members.map(m => m.channel.id)
const none = (): boolean => false
const coolingIds =
  (...cool: number[]) =>
  (m: RouteMember): boolean =>
    cool.includes(m.channel.id)

/** Tiny seeded PRNG (mulberry32) so the random-mode statistics are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** First member's channel id over `calls` calls. */
function firsts(order: () => RouteMember[], calls: number): number[] {
  return Array.from({ length: calls }, () => order()[0]?.channel.id ?? -1)
}

function countOf(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return counts
}

function maxRun(values: readonly number[]): number {
  let best = 0
  let run = 0
  values.forEach((v, i) => {
    run = i > 0 && values[i - 1] === v ? run + 1 : 1
    best = Math.max(best, run)
  })
  return best
}

describe('priority tiers', () => {
  it.each(BALANCE_MODES)('%s: lower priority numbers always come first, every member once', mode => {
    const balancer = createBalancer(mulberry32(1))
    const g = group(mode, [member(1, 2), member(2, 0), member(3, 1), member(4, 0), member(5, 2), member(6, 1)])
    for (let i = 0; i < 50; i++) {
      const out = balancer.order(g, none)
      expect(out.map(m => m.priority)).toEqual([0, 0, 1, 1, 2, 2])
      expect(new Set(out).size).toBe(6)
    }
  })

  it.each(BALANCE_MODES)('%s: returns a new array and leaves the group untouched', mode => {
    const members = Object.freeze([member(1, 1), member(2, 0), member(3, 0)]) as RouteMember[]
    const g = group(mode, members)
    const out = createBalancer(mulberry32(2)).order(g, coolingIds(2))
    expect(out).not.toBe(g.members)
    expect(ids(g.members)).toEqual([1, 2, 3])
    expect(out).toHaveLength(3)
  })
})

describe('failover', () => {
  it('keeps strict list order inside a tier, call after call', () => {
    const balancer = createBalancer()
    const g = group('failover', [member(3), member(1, 1), member(2), member(4, 1)])
    for (let i = 0; i < 5; i++) expect(ids(balancer.order(g, none))).toEqual([3, 2, 1, 4])
  })
})

describe('round-robin', () => {
  it('rotates the tier and starts with each of 4 members exactly 1 000 times in 4 000 calls', () => {
    const balancer = createBalancer()
    const g = group('round-robin', [member(1), member(2), member(3), member(4), member(9, 1)])
    const outs = Array.from({ length: 4000 }, () => ids(balancer.order(g, none)))
    expect(outs.slice(0, 5)).toEqual([
      [1, 2, 3, 4, 9],
      [2, 3, 4, 1, 9],
      [3, 4, 1, 2, 9],
      [4, 1, 2, 3, 9],
      [1, 2, 3, 4, 9]
    ])
    const counts = countOf(outs.map(o => o[0] ?? -1))
    expect([...counts.entries()].sort()).toEqual([
      [1, 1000],
      [2, 1000],
      [3, 1000],
      [4, 1000]
    ])
  })

  it('keeps one cursor per group name and per balancer instance', () => {
    const balancer = createBalancer()
    const a = group('round-robin', [member(1), member(2), member(3)], 'a')
    const b = group('round-robin', [member(1), member(2), member(3)], 'b')
    const seqA: number[] = []
    const seqB: number[] = []
    for (let i = 0; i < 7; i++) {
      seqA.push(ids(balancer.order(a, none))[0] ?? -1)
      seqB.push(ids(balancer.order(b, none))[0] ?? -1)
    }
    expect(seqA).toEqual([1, 2, 3, 1, 2, 3, 1])
    expect(seqB).toEqual([1, 2, 3, 1, 2, 3, 1])
    // A second balancer starts from scratch: the cursor is instance state, not a module global.
    expect(ids(createBalancer().order(a, none))).toEqual([1, 2, 3])
  })
})

describe('random', () => {
  it('is a uniform permutation: each member at each position 25 % ± 2 % of 40 000 calls', () => {
    const balancer = createBalancer(mulberry32(42))
    const g = group('random', [member(1), member(2), member(3), member(4)])
    const calls = 40_000
    const atPosition = [0, 1, 2, 3].map(() => new Map<number, number>())
    for (let i = 0; i < calls; i++) {
      const out = ids(balancer.order(g, none))
      expect([...out].sort()).toEqual([1, 2, 3, 4])
      out.forEach((id, pos) => atPosition[pos]?.set(id, (atPosition[pos]?.get(id) ?? 0) + 1))
    }
    for (const counts of atPosition) {
      for (const id of [1, 2, 3, 4]) {
        expect(Math.abs((counts.get(id) ?? 0) / (calls / 4) - 1)).toBeLessThanOrEqual(0.02)
      }
    }
  })

  it('draws from the injected source only', () => {
    const g = group('random', [member(1), member(2), member(3), member(4), member(5)])
    const run = (seed: number): number[][] => {
      const balancer = createBalancer(mulberry32(seed))
      return Array.from({ length: 20 }, () => ids(balancer.order(g, none)))
    }
    expect(run(7)).toEqual(run(7))
    expect(run(7)).not.toEqual(run(8))
  })
})

describe('weighted (smooth weighted round-robin)', () => {
  it('gives weights 3:1 exactly 7 500 / 2 500 first picks in 10 000 calls', () => {
    const balancer = createBalancer()
    const g = group('weighted', [member(1, 0, 3), member(2, 0, 1)])
    const picks = firsts(() => balancer.order(g, none), 10_000)
    expect(countOf(picks).get(1)).toBe(7500)
    expect(countOf(picks).get(2)).toBe(2500)
  })

  it('interleaves 5:1:1 as nginx does (a a b a c a a), never more than 5 in a row', () => {
    const balancer = createBalancer()
    const g = group('weighted', [member(1, 0, 5), member(2, 0, 1), member(3, 0, 1)])
    const picks = firsts(() => balancer.order(g, none), 700)
    expect(picks.slice(0, 7)).toEqual([1, 1, 2, 1, 3, 1, 1])
    expect(maxRun(picks)).toBeLessThanOrEqual(5)
    expect([...countOf(picks).entries()].sort()).toEqual([
      [1, 500],
      [2, 100],
      [3, 100]
    ])
  })

  it('follows the pick with the rest of the tier by descending weight, ties in list order', () => {
    const balancer = createBalancer()
    const g = group('weighted', [member(1, 0, 1), member(2, 0, 1), member(3, 0, 3)])
    // SWRR picks 3, 1, 3, 2; the list order of the rest would read [1, 2, 3] minus the pick.
    expect(Array.from({ length: 4 }, () => ids(balancer.order(g, none)))).toEqual([
      [3, 1, 2],
      [1, 3, 2],
      [3, 1, 2],
      [2, 3, 1]
    ])
  })

  it('balances each tier on its own weights only', () => {
    const balancer = createBalancer()
    const g = group('weighted', [member(1, 0, 3), member(2, 0, 1), member(3, 1, 1000), member(4, 1, 1)])
    const outs = Array.from({ length: 4000 }, () => ids(balancer.order(g, none)))
    const top = countOf(outs.map(o => o[0] ?? -1))
    expect(top.get(1)).toBe(3000)
    expect(top.get(2)).toBe(1000)
    expect(outs.every(o => o.slice(2).sort().join() === '3,4')).toBe(true)
    expect(countOf(outs.map(o => o[2] ?? -1)).get(4)).toBe(4)
  })

  it('carries state across a rebuilt group by identity; added start at 0, removed are forgotten', () => {
    const balancer = createBalancer()
    // a=3, b=1 → picks a; state a=-1, b=1.
    expect(ids(balancer.order(group('weighted', [member(1, 0, 3), member(2, 0, 1)]), none))[0]).toBe(1)
    // Rebuilt: b removed, c added → a=2, c=1 → a; state a=-2, c=1.
    expect(ids(balancer.order(group('weighted', [member(1, 0, 3), member(3, 0, 1)]), none))[0]).toBe(1)
    // b back: a=1, b=1, c=2 → c. A reset a would win (2), a remembered b=1 would tie c and win.
    const back = group('weighted', [member(1, 0, 3), member(2, 0, 1), member(3, 0, 1)])
    expect(ids(balancer.order(back, none))[0]).toBe(3)
  })

  it('tells members apart by channel and upstream model', () => {
    expect(memberIdentity(member(1, 0, 1, 'x'))).not.toBe(memberIdentity(member(1, 0, 1, 'y')))
    const balancer = createBalancer()
    const g = group('weighted', [member(1, 0, 1, 'x'), member(1, 0, 1, 'y')])
    const models = Array.from({ length: 4 }, () => balancer.order(g, none)[0]?.upstreamModel)
    expect(models).toEqual(['x', 'y', 'x', 'y'])
  })
})

describe('cooling members', () => {
  it.each(BALANCE_MODES)('%s: go after every tier, in priority then list order, and stay in the list', mode => {
    const balancer = createBalancer(mulberry32(3))
    const g = group(mode, [member(1, 0), member(2, 1), member(3, 0), member(4, 1), member(5, 0), member(6, 0)])
    const seenFirst = new Set<number>()
    for (let i = 0; i < 20; i++) {
      const out = ids(balancer.order(g, coolingIds(2, 3, 1)))
      expect(out.slice(3)).toEqual([1, 3, 2])
      expect([...out.slice(0, 2)].sort()).toEqual([5, 6])
      expect(out[2]).toBe(4)
      seenFirst.add(out[0] ?? -1)
    }
    // The ready members are still balanced among themselves (only failover stays put).
    expect(seenFirst.size).toBe(mode === 'failover' ? 1 : 2)
  })

  it('round-robin: a cooling member takes no turns; all-cooling calls do not move the cursor', () => {
    const balancer = createBalancer()
    const g = group('round-robin', [member(1), member(2), member(3), member(4)])
    const all = coolingIds(1, 2, 3, 4)
    expect(ids(balancer.order(g, all))).toEqual([1, 2, 3, 4])
    expect(ids(balancer.order(g, none))[0]).toBe(1)
    const counts = countOf(firsts(() => balancer.order(g, coolingIds(2)), 3000))
    expect([...counts.entries()].sort()).toEqual([
      [1, 1000],
      [3, 1000],
      [4, 1000]
    ])
  })

  it('weighted: a cooling member gains and spends nothing meanwhile, so it neither bursts nor skips when back', () => {
    const balancer = createBalancer()
    const g = group('weighted', [member(1, 0, 1), member(2, 0, 1)])
    expect(ids(balancer.order(g, none))[0]).toBe(1)
    // An odd number of cooling calls: had b kept alternating in secret, the next pick would be a.
    for (let i = 0; i < 9; i++) expect(ids(balancer.order(g, coolingIds(2)))).toEqual([1, 2])
    expect(firsts(() => balancer.order(g, none), 6)).toEqual([2, 1, 2, 1, 2, 1])
  })
})
