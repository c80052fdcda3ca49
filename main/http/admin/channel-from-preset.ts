import { findPreset } from '@shared/constants/provider-presets'
import type { ChannelCreate } from '@shared/dto/channel'
import type { ChannelCreateInput } from '@shared/dto/provider-preset'
import { ANTIGRAVITY_OPT_IN, ANTIGRAVITY_TERMS } from '../../relay/antigravity/terms'
import { adminErrors } from '../http-errors'

/**
 * The channel a create body stands for: its own fields, with the preset's filling those left
 * out. The name defaults to the preset id, suffixed (`-2`, `-3`, …) past the names in `taken`.
 */
export function channelFromInput(input: ChannelCreateInput, taken: ReadonlySet<string>): ChannelCreate {
  const { preset: presetId, name, type, baseUrls, ...rest } = input
  const preset = presetId === undefined ? undefined : findPreset(presetId)
  if (!preset) {
    // The schema already requires these three without a preset; this narrows their types.
    if (name === undefined || type === undefined || baseUrls === undefined) {
      throw adminErrors.invalidReference('preset', 'name, type and baseUrls are required without a preset')
    }
    return { ...rest, name, type, baseUrls }
  }
  const urls = baseUrls ?? [...preset.baseUrls]
  if (urls.length === 0) throw adminErrors.invalidReference('baseUrls', `the ${preset.name} preset needs your endpoint, such as ${preset.baseUrlHint}`)
  return {
    ...rest,
    name: name ?? freeName(preset.id, taken),
    type: type ?? preset.type,
    baseUrls: urls,
    models: rest.models.length > 0 ? rest.models : [...preset.suggestedModels],
    azure: rest.azure ?? (preset.azure ? { ...preset.azure } : null)
  }
}

function freeName(base: string, taken: ReadonlySet<string>): string {
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`
  return name
}

/** Azure addressing is a Chat Completions dialect: on another type it would build URLs that type does not have. */
export function checkAzure(fields: Pick<ChannelCreate, 'type' | 'azure'>): void {
  if (fields.azure !== null && fields.type !== 'openai-chat') throw adminErrors.invalidReference('azure', 'applies to openai-chat channels only')
}

/**
 * Antigravity speaks Gemini inside the Cloud Code envelope, so it needs the gemini type; an enabled
 * one (a new one in any state) needs the operator's opt-in, since it may break Google's terms.
 */
export function checkAntigravity(fields: Pick<ChannelCreate, 'type' | 'antigravity' | 'enabled'>, allowed: boolean, created: boolean): void {
  if (fields.antigravity === null) return
  if (fields.type !== 'gemini') throw adminErrors.invalidReference('antigravity', 'applies to gemini channels only')
  if (!allowed && (created || fields.enabled)) throw adminErrors.invalidReference('antigravity', `${ANTIGRAVITY_TERMS} ${ANTIGRAVITY_OPT_IN}`)
}
