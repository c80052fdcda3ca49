import { ipcMain, shell } from 'electron'
import { DESKTOP_CHANNELS, type DesktopPrefs, type DesktopSession } from '@shared/contract/desktop-api'
import type { Prefs } from './prefs'

/** What the IPC handlers answer from. */
export interface IpcDeps {
  session: () => Promise<DesktopSession>
  prefs: Prefs
  applyPrefs: (prefs: DesktopPrefs) => void
  quit: () => void
}

/** Answers the preload's invokes (DESKTOP_CHANNELS); returns the function that removes the handlers. */
export function registerIpc(deps: IpcDeps): () => void {
  ipcMain.handle(DESKTOP_CHANNELS.getSession, () => deps.session())
  ipcMain.handle(DESKTOP_CHANNELS.getPrefs, () => deps.prefs.get())
  ipcMain.handle(DESKTOP_CHANNELS.setPrefs, (_event, changes: unknown) => {
    const next = deps.prefs.set(onlyKnown(changes))
    deps.applyPrefs(next)
    return next
  })
  ipcMain.handle(DESKTOP_CHANNELS.openExternal, (_event, url: unknown) => {
    // Only web links: a renderer must not make the shell open files or custom schemes.
    if (typeof url === 'string' && /^https?:\/\//.test(url)) return shell.openExternal(url)
    return undefined
  })
  ipcMain.handle(DESKTOP_CHANNELS.quit, () => deps.quit())
  return () => {
    for (const channel of [DESKTOP_CHANNELS.getSession, DESKTOP_CHANNELS.getPrefs, DESKTOP_CHANNELS.setPrefs, DESKTOP_CHANNELS.openExternal, DESKTOP_CHANNELS.quit]) {
      ipcMain.removeHandler(channel)
    }

  }
}

/** The preference fields a renderer may change, each of the right type; anything else is ignored. */
function onlyKnown(value: unknown): Partial<DesktopPrefs> {
  if (typeof value !== 'object' || value === null) return {}
  const input = value as Record<string, unknown>
  const out: Partial<DesktopPrefs> = {}
  if (Number.isInteger(input.port) && (input.port as number) > 0 && (input.port as number) < 65536) out.port = input.port as number
  if (typeof input.launchAtLogin === 'boolean') out.launchAtLogin = input.launchAtLogin
  if (input.theme === 'system' || input.theme === 'light' || input.theme === 'dark') out.theme = input.theme
  if (input.language === 'system' || input.language === 'en' || input.language === 'zh') out.language = input.language
  return out
}
