import type { ErrorRule, ErrorRuleAction } from '@shared/dto/error-rule'

/** One editable error rule: empty texts are parts the rule does not match on. */
export interface ErrorRuleRow {
  status: string
  body: string
  action: ErrorRuleAction
}

export function rowsOf(rules: readonly ErrorRule[]): ErrorRuleRow[] {
  return rules.map(rule => ({ status: rule.match.status ?? '', body: rule.match.body ?? '', action: rule.action }))
}

/** The rules to save; rows with neither a status nor a body pattern are left out. */
export function rulesOf(rows: readonly ErrorRuleRow[]): ErrorRule[] {
  return rows
    .map(row => ({ status: row.status.trim(), body: row.body.trim(), action: row.action }))
    .filter(row => row.status !== '' || row.body !== '')
    .map(row => ({
      match: { ...(row.status === '' ? {} : { status: row.status }), ...(row.body === '' ? {} : { body: row.body }) },
      action: row.action
    }))
}
