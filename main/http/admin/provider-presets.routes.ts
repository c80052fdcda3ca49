import { PROVIDER_PRESETS } from '@shared/constants/provider-presets'
import type { AdminHandlers } from './admin-context'

/** The provider presets, as the channel form offers them. */
export function providerPresetHandlers(): Pick<AdminHandlers, 'providerPresets.list'> {
  return {
    'providerPresets.list': async () =>
      PROVIDER_PRESETS.map(preset => ({
        ...preset,
        baseUrls: [...preset.baseUrls],
        suggestedModels: [...preset.suggestedModels],
        ...(preset.azure ? { azure: { ...preset.azure } } : {})
      }))
  }
}
