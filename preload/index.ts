import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { DESKTOP_CHANNELS, type DesktopApi, type RelayStatus } from '../shared/contract/desktop-api'

/**
 * Exposes exactly the typed desktop API (shared/contract/desktop-api.ts) to the window, on
 * `window.cuttleDesktop`: no ipcRenderer, no Node, no other channel. Listeners return their
 * unsubscribe function.
 */
const api: DesktopApi = {
  getSession: () => ipcRenderer.invoke(DESKTOP_CHANNELS.getSession),
  getPrefs: () => ipcRenderer.invoke(DESKTOP_CHANNELS.getPrefs),
  setPrefs: prefs => ipcRenderer.invoke(DESKTOP_CHANNELS.setPrefs, prefs),
  openExternal: url => ipcRenderer.invoke(DESKTOP_CHANNELS.openExternal, url),
  quit: () => ipcRenderer.invoke(DESKTOP_CHANNELS.quit),
  onRelayStatus: listener => {
    const handler = (_event: IpcRendererEvent, status: RelayStatus): void => listener(status)
    ipcRenderer.on(DESKTOP_CHANNELS.relayStatus, handler)
    return () => {
      ipcRenderer.removeListener(DESKTOP_CHANNELS.relayStatus, handler)
    }
  }
}

contextBridge.exposeInMainWorld('cuttleDesktop', api)
