import { z } from 'zod'

/**
 * What an error rule makes the relay do with a matching upstream error: `retry` the next candidate
 * without cooling anything, `fail` (answer the client with this error now), or cool the key or
 * the channel and try the next.
 */
export const ERROR_RULE_ACTIONS = ['retry', 'fail', 'cool-key', 'cool-channel'] as const
export type ErrorRuleAction = (typeof ERROR_RULE_ACTIONS)[number]

/** Longest body pattern: enough for any provider's error code, and a bound on regex work per error. */
export const BODY_PATTERN_MAX_LENGTH = 500

/** `/…/flags`: a body pattern written as a regular expression. */
const REGEX_LITERAL = /^\/(.+)\/([imsu]*)$/s

/**
 * Compiles a body pattern: `/regex/flags` is a JavaScript regular expression, anything else a
 * case-insensitive substring. Throws a SyntaxError when the regular expression does not compile.
 */
export function compileBodyPattern(pattern: string): RegExp {
  const literal = REGEX_LITERAL.exec(pattern)
  if (literal) return new RegExp(literal[1] as string, literal[2])
  return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')
}

/** `429`: that status; `4xx`, `5xx`: the class (only error statuses reach the rules). */
const StatusPatternSchema = z.string().regex(/^[45](\d\d|xx)$/, 'must be a status like 429 or a class like 4xx or 5xx')

const BodyPatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(BODY_PATTERN_MAX_LENGTH, `must be at most ${BODY_PATTERN_MAX_LENGTH} characters`)
  .superRefine((pattern, ctx) => {
    try {
      compileBodyPattern(pattern)
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${reason}` })
    }
  })

/** What an upstream error must look like for the rule to apply; every given part must match. */
export const ErrorMatchSchema = z
  .object({ status: StatusPatternSchema.optional(), body: BodyPatternSchema.optional() })
  .strict()
  .refine(match => match.status !== undefined || match.body !== undefined, 'needs a status or a body pattern')
export type ErrorMatch = z.infer<typeof ErrorMatchSchema>

/** One rule of a channel or group, applied before the default failure table. */
export const ErrorRuleSchema = z.object({ match: ErrorMatchSchema, action: z.enum(ERROR_RULE_ACTIONS) }).strict()
export type ErrorRule = z.infer<typeof ErrorRuleSchema>

/** A channel's or group's rules, first match wins. */
export const ErrorRulesSchema = z.array(ErrorRuleSchema).max(50)
