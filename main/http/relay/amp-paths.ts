/**
 * Amp CLI (ampcode.com) is pointed at Cuttle with `AMP_URL=http://127.0.0.1:7878/amp`: mounted
 * under `/amp`, its paths never meet Cuttle's own `/api/v1` admin API.
 */
export const AMP_PREFIX = '/amp'

/** Amp's model endpoints: `/api/provider/<provider>/<the provider's own API path>`. */
const PROVIDER_PREFIX = `${AMP_PREFIX}/api/provider/`
/** The providers whose APIs Cuttle serves itself (OpenAI Chat and Responses, Anthropic Messages, Gemini). */
const SERVED_PROVIDERS = new Set(['openai', 'anthropic', 'google'])

/** Whether `path` belongs to Amp's mount. */
export function isAmpPath(path: string): boolean {
  return path.startsWith(AMP_PREFIX) && (path.length === AMP_PREFIX.length || path[AMP_PREFIX.length] === '/')
}

/**
 * The relay endpoint an Amp model request stands for (`/amp/api/provider/anthropic/v1/messages`
 * → `/v1/messages`), or null for the rest of Amp's API, which goes to Amp's own servers.
 */
export function ampRelayPath(path: string): string | null {
  if (!path.startsWith(PROVIDER_PREFIX)) return null
  const slash = path.indexOf('/', PROVIDER_PREFIX.length)
  if (slash === -1 || !SERVED_PROVIDERS.has(path.slice(PROVIDER_PREFIX.length, slash))) return null
  return path.slice(slash)
}
