/**
 * The desktop bridge between the Electron main process and the window's preload script, described
 * once (typed-ipc style): invoke channels with their argument and result types, and the events
 * main pushes. The preload exposes exactly `DesktopApi` on `window.cuttleDesktop`; the renderer
 * finds it there only inside the desktop app (the same UI also runs in a plain browser).
 */

/** Preferences the desktop app keeps (electron-store). */
export interface DesktopPrefs {
  /** Port the relay asks for at start; the next free one is taken when it is busy. */
  port: number
  launchAtLogin: boolean
  theme: 'system' | 'light' | 'dark'
  language: 'system' | 'en' | 'zh'
  windowBounds: { x?: number; y?: number; width: number; height: number } | null
}

/** What the window needs to talk to the core: where it listens and a per-launch admin token. */
export interface DesktopSession {
  baseUrl: string
  token: string
  version: string
}

/** The relay's state as the tray shows it. */
export interface RelayStatus {
  paused: boolean
  port: number
  inFlight: number
  requestsToday: number
  errorsToday: number
}

/** Invoke channels: name → [argument, result]. */
export interface DesktopInvokes {
  'desktop:get-session': [void, DesktopSession]
  'desktop:get-prefs': [void, DesktopPrefs]
  'desktop:set-prefs': [Partial<DesktopPrefs>, DesktopPrefs]
  'desktop:open-external': [string, void]
  'desktop:quit': [void, void]
}

/** Events main sends to the window: name → payload. */
export interface DesktopEvents {
  'desktop:relay-status': RelayStatus
}

/** Every channel name, for the preload's allow-list and main's handlers. */
export const DESKTOP_CHANNELS = {
  getSession: 'desktop:get-session',
  getPrefs: 'desktop:get-prefs',
  setPrefs: 'desktop:set-prefs',
  openExternal: 'desktop:open-external',
  quit: 'desktop:quit',
  relayStatus: 'desktop:relay-status'
} as const satisfies Record<string, keyof DesktopInvokes | keyof DesktopEvents>

/** What the preload exposes on `window.cuttleDesktop`. */
export interface DesktopApi {
  getSession(): Promise<DesktopSession>
  getPrefs(): Promise<DesktopPrefs>
  setPrefs(prefs: Partial<DesktopPrefs>): Promise<DesktopPrefs>
  openExternal(url: string): Promise<void>
  quit(): Promise<void>
  /** Subscribes to relay status pushes; call the returned function to unsubscribe. */
  onRelayStatus(listener: (status: RelayStatus) => void): () => void
}

/** Defaults of the preferences (also the schema's defaults in electron-store). */
export const DEFAULT_DESKTOP_PREFS: DesktopPrefs = {
  port: 7878,
  launchAtLogin: false,
  theme: 'system',
  language: 'system',
  windowBounds: null
}
