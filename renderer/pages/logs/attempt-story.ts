import type { FailureClass } from '@shared/constants/failure-class'
import type { Attempt } from '@shared/dto/request-log'

/** A translation key with its values. */
export interface StoryPart {
  key: string
  named?: Record<string, unknown>
}

/** What the relay does after each failure class (the failure table of README "Routing, failover and health"). */
const PENALTY: Record<FailureClass, string> = {
  client: 'story.penalty.client',
  auth: 'story.penalty.keyDisabled',
  quota: 'story.penalty.keyDisabled',
  rate_limit: 'story.penalty.keyCooled',
  server: 'story.penalty.channelCooled',
  network: 'story.penalty.channelCooled',
  timeout: 'story.penalty.channelCooled'
}

/** Colour of a step in the timeline. */
export function attemptTone(attempt: Attempt): 'success' | 'warning' | 'error' {
  if (attempt.outcome === 'ok') return 'success'
  return attempt.outcome === 'retry' ? 'warning' : 'error'
}

/** An attempt's story: what came back (read as one phrase), then what followed (joined by arrows). */
export interface AttemptStory {
  cause: StoryPart[]
  then: StoryPart[]
}

/**
 * Why the relay left an attempt (or that it answered): what came back, what was cooled, and where
 * the request went next — read from the attempt that actually followed, so "next key" and "next
 * member" say what happened rather than what was planned.
 */
export function attemptStory(attempts: readonly Attempt[], index: number): AttemptStory {
  const attempt = attempts[index]
  if (!attempt) return { cause: [], then: [] }
  if (attempt.outcome === 'ok') return { cause: [{ key: attempt.reason === 'streaming' ? 'story.streaming' : 'story.answered' }], then: [] }
  if (attempt.failure === null) return { cause: [{ key: 'story.clientGone' }], then: [] }
  const cause: StoryPart[] = [
    attempt.status === null ? { key: 'story.noStatus' } : { key: 'story.status', named: { status: attempt.status } },
    { key: `story.failure.${attempt.failure}` }
  ]
  // An error rule of the channel or group decided instead of the failure table.
  const then: StoryPart[] = [{ key: attempt.rule === undefined ? PENALTY[attempt.failure] : `story.rule.${attempt.rule}` }]
  if (attempt.rule === undefined ? attempt.failure !== 'client' : attempt.rule !== 'fail') {
    const next = attempts[index + 1]
    if (!next) then.push({ key: 'story.exhausted' })
    else if (next.channelId === attempt.channelId) then.push({ key: 'story.nextKey' })
    else then.push({ key: 'story.nextMember', named: { name: next.channelName } })
  }
  return { cause, then }
}
