import { BrowserWindow, shell } from 'electron'
import type { DesktopPrefs } from '@shared/contract/desktop-api'

/** What the window is built from. */
export interface MainWindowDeps {
  /** Where the core serves the UI (http://127.0.0.1:<port>). */
  baseUrl: string
  preload: string
  bounds: DesktopPrefs['windowBounds']
  saveBounds: (bounds: NonNullable<DesktopPrefs['windowBounds']>) => void
  /** True once the app is quitting: closing then really closes. */
  quitting: () => boolean
}

/**
 * The management window: the same UI the headless server serves, loaded from the core over
 * loopback, in a locked-down renderer (context isolation, sandbox, no Node). Closing it hides it;
 * Cuttle keeps relaying from the tray. Links to other sites open in the browser, never inside.
 */
export class MainWindow {
  private window: BrowserWindow | null = null

  constructor(private readonly deps: MainWindowDeps) {}

  /** Shows the window, creating it the first time; brings it to the front. */
  show(): void {
    const window = this.window ?? this.create()
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }

  /** The window's web contents, when it exists (to push events). */
  send(channel: string, payload: unknown): void {
    this.window?.webContents.send(channel, payload)
  }

  /** Closes it for good (quit). */
  destroy(): void {
    this.window?.destroy()
    this.window = null
  }

  private create(): BrowserWindow {
    const { deps } = this
    const bounds = deps.bounds ?? { width: 1200, height: 800 }
    const window = new BrowserWindow({
      ...bounds,
      minWidth: 1024,
      minHeight: 640,
      show: false,
      title: 'Cuttle',
      webPreferences: { preload: deps.preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true }
    })
    window.once('ready-to-show', () => window.show())
    window.on('close', event => {
      if (deps.quitting()) return
      event.preventDefault()
      window.hide()
    })
    const remember = (): void => {
      if (!window.isMinimized()) deps.saveBounds(window.getBounds())
    }
    window.on('resized', remember)
    window.on('moved', remember)
    const origin = new URL(deps.baseUrl).origin
    const external = (url: string): boolean => {
      try {
        return new URL(url).origin !== origin
      } catch {
        return true
      }
    }
    window.webContents.setWindowOpenHandler(({ url }) => {
      if (/^https?:/.test(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    window.webContents.on('will-navigate', (event, url) => {
      if (!external(url)) return
      event.preventDefault()
      if (/^https?:/.test(url)) void shell.openExternal(url)
    })
    void window.loadURL(`${deps.baseUrl}/`)
    this.window = window
    return window
  }
}
