/** `-20250929` or `-2025-09-29` at the end of a model id. */
const DATE_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/

/**
 * The form model names are compared in: lower case, without Gemini's `models/` prefix and without
 * a vendor prefix (`anthropic/claude-sonnet-4.5` as OpenRouter names it; everything up to the
 * last `/`, so `accounts/fireworks/models/x` is `x` too).
 */
export function normalizeModel(name: string): string {
  const lower = name.trim().toLowerCase()
  const bare = lower.startsWith('models/') ? lower.slice('models/'.length) : lower
  return bare.slice(bare.lastIndexOf('/') + 1)
}

/** The name without a trailing date (`claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`); null when it has none. */
export function withoutDateSuffix(name: string): string | null {
  const stripped = name.replace(DATE_SUFFIX, '')
  return stripped === name || stripped === '' ? null : stripped
}
