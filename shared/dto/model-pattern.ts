import { z } from 'zod'

/**
 * Longest model pattern. Model names are at most 200 characters, so a longer pattern is no use;
 * the cap also bounds how much work one pattern can ask of the regular-expression engine.
 */
export const MODEL_PATTERN_MAX_LENGTH = 500

/**
 * Compiles a group's model pattern. Syntax: a JavaScript regular expression, case-sensitive,
 * that matches anywhere in the model name (`claude-` matches `anthropic/claude-x`); anchor it
 * (`^claude-.*$`) to match whole names. Throws a SyntaxError when it does not compile.
 */
export function compileModelPattern(pattern: string): RegExp {
  return new RegExp(pattern)
}

/**
 * A group's model pattern (null: none). When a model sync adds models to a channel, every group
 * whose pattern matches a new model gets that (channel, model) as a member.
 */
export const ModelPatternSchema = z
  .string()
  .min(1, 'must not be empty (send null to remove the pattern)')
  .max(MODEL_PATTERN_MAX_LENGTH, `must be at most ${MODEL_PATTERN_MAX_LENGTH} characters`)
  .superRefine((pattern, ctx) => {
    try {
      compileModelPattern(pattern)
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${reason}` })
    }
  })
  .nullable()
