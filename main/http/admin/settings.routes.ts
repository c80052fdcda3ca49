import type { AdminDeps, AdminHandlers } from './admin-context'

/** Runtime settings; a change reaches the relay with the rebuilt route table. */
export function settingsHandlers(deps: AdminDeps): Pick<AdminHandlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => deps.repos.settings.getAll(),
    'settings.update': async ({ body }) => {
      const settings = await deps.repos.settings.update(body)
      await deps.routes.reload()
      return settings
    }
  }
}
