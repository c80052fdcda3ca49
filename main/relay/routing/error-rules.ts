import { compileBodyPattern, type ErrorRule, type ErrorRuleAction } from '@shared/dto/error-rule'
import type { FailureAction } from './failure-classifier'

/** An error rule ready to test: compiled when the route table is built, never per request. */
export interface CompiledErrorRule {
  /** Null: any status. */
  status: ((status: number) => boolean) | null
  /** Null: any body. */
  body: RegExp | null
  action: ErrorRuleAction
}

/**
 * What each rule action does, in the failure table's terms. `fail` never reaches the table (the
 * attempt answers the client instead), so its row only completes the record.
 */
export const RULE_ACTIONS: Readonly<Record<ErrorRuleAction, FailureAction>> = {
  retry: { penalty: 'none', next: 'next-channel' },
  fail: { penalty: 'none', next: 'fail' },
  'cool-key': { penalty: 'key', next: 'next-key' },
  'cool-channel': { penalty: 'channel', next: 'next-channel' }
}

/** Compiles stored rules; they were validated when saved, so a pattern that no longer compiles is a bug. */
export function compileErrorRules(rules: readonly ErrorRule[]): CompiledErrorRule[] {
  return rules.map(rule => ({
    status: rule.match.status === undefined ? null : statusTest(rule.match.status),
    body: rule.match.body === undefined ? null : compileBodyPattern(rule.match.body),
    action: rule.action
  }))
}

/** `429` tests for that status, `4xx` for its hundred. */
function statusTest(pattern: string): (status: number) => boolean {
  if (pattern.endsWith('xx')) {
    const hundred = Number(pattern[0]) * 100
    return status => status >= hundred && status < hundred + 100
  }
  const exact = Number(pattern)
  return status => status === exact
}

/** The action of the first rule an upstream error matches, or null when none does. */
export function matchErrorRule(rules: readonly CompiledErrorRule[], status: number, body: string): ErrorRuleAction | null {
  for (const rule of rules) {
    if (rule.status !== null && !rule.status(status)) continue
    if (rule.body !== null && !rule.body.test(body)) continue
    return rule.action
  }
  return null
}
