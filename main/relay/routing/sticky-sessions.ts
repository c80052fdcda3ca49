import type { RouteMember } from './route-table'

/** Where a conversation was last answered. */
export interface StickyTarget {
  channelId: number
  upstreamModel: string
  /** The provider key that answered (null: the channel needs no key). */
  fingerprint: string | null
}

interface Entry extends StickyTarget {
  expiresAt: number
}

/** Most conversations remembered (a few hundred bytes each); beyond it the least recently used go. */
export const STICKY_CAPACITY = 50_000

/**
 * Which channel and key last answered each conversation. Provider prompt caches live per account
 * and often per machine, so the next turn of a conversation only hits them on the same channel
 * and key. In memory only: losing the pins on a restart costs one cache miss per conversation.
 */
export class StickySessions {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly capacity = STICKY_CAPACITY) {}

  /** The target pinned under `key`, or null when there is none or it expired. */
  get(key: string, now: number): StickyTarget | null {
    const entry = this.entries.get(key)
    if (entry === undefined) return null
    this.entries.delete(key)
    if (entry.expiresAt <= now) return null
    this.entries.set(key, entry)
    return entry
  }

  set(key: string, target: StickyTarget, expiresAt: number): void {
    this.entries.delete(key)
    this.entries.set(key, { ...target, expiresAt })
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
  }

  get size(): number {
    return this.entries.size
  }
}

/** What a request brings to its sticky route. */
export interface StickyRequest {
  /** The client key's id: one client cannot steer another's conversations. */
  apiKeyId: number
  group: string
  /** The conversation's key (`kind:value`), or null when the request names none. */
  session: string | null
}

/**
 * One request's view of the pins: the pinned member goes first, and whatever answers becomes
 * the pin of its session (and of the Responses answer's id, which the next turn names in
 * `previous_response_id`).
 */
export class StickyRoute {
  private readonly scope: string
  private readonly session: string | null
  private readonly target: StickyTarget | null

  constructor(
    private readonly sessions: StickySessions,
    request: StickyRequest,
    private readonly ttlMs: number,
    private readonly now: () => number
  ) {
    this.scope = `${request.apiKeyId}\n${request.group}\n`
    this.session = request.session
    this.target = request.session === null ? null : sessions.get(this.scope + request.session, now())
  }

  /** The plan with the pinned member first when it is still in it and not cooling; otherwise unchanged. */
  first(plan: RouteMember[], isCooling: (member: RouteMember) => boolean): RouteMember[] {
    const target = this.target
    if (target === null) return plan
    const at = plan.findIndex(m => m.channel.id === target.channelId && m.upstreamModel === target.upstreamModel)
    const pinned = plan[at]
    if (pinned === undefined || at === 0 || isCooling(pinned)) return plan
    return [pinned, ...plan.slice(0, at), ...plan.slice(at + 1)]
  }

  /** The key to prefer on `channelId`: the one that answered this conversation there. */
  keyFor(channelId: number): string | null {
    return this.target?.channelId === channelId ? this.target.fingerprint : null
  }

  /** Pins the conversation, and the answer's response id when it has one, to what answered. */
  answered(member: RouteMember, fingerprint: string | null, responseId: string | null): void {
    const target: StickyTarget = { channelId: member.channel.id, upstreamModel: member.upstreamModel, fingerprint }
    const expiresAt = this.now() + this.ttlMs
    if (this.session !== null) this.sessions.set(this.scope + this.session, target, expiresAt)
    if (responseId !== null) this.sessions.set(`${this.scope}resp:${responseId}`, target, expiresAt)
  }
}
