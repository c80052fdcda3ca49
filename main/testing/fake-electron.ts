/**
 * A stand-in for the `electron` module in tests (vitest.config.ts aliases `electron` here): the
 * parts of Electron's API the desktop shell uses, recording what was done to them. Electron's
 * binary cannot be downloaded in this environment, and the shell's logic should not need it.
 */
import { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

type Listener = (...args: unknown[]) => unknown

/** An event that can be prevented, as Electron's are. */
export interface FakeEvent {
  defaultPrevented: boolean
  preventDefault(): void
}

function event(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true
    }
  }
}

/** What the fake recorded, and knobs for the next test; `reset()` between tests. */
export const fake = {
  userData: '',
  singleInstance: true,
  quitCalls: 0,
  exitCodes: [] as number[],
  loginItem: { openAtLogin: false },
  clipboard: '',
  openedExternal: [] as string[],
  notifications: [] as Array<{ title: string; body: string }>,
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  handlers: new Map<string, Listener>(),
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, Set<Listener>>(),
  invoked: [] as Array<{ channel: string; args: unknown[] }>,
  reset(): void {
    fake.userData = mkdtempSync(join(tmpdir(), 'cuttle-desktop-'))
    fake.singleInstance = true
    fake.quitCalls = 0
    fake.exitCodes = []
    fake.loginItem = { openAtLogin: false }
    fake.clipboard = ''
    fake.openedExternal = []
    fake.notifications = []
    fake.windows = []
    fake.trays = []
    fake.handlers.clear()
    fake.exposed.clear()
    fake.rendererListeners.clear()
    fake.invoked = []
    app.removeAllListeners()
  },
  /** Calls an ipcMain handler as the renderer's invoke would. */
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = fake.handlers.get(channel)
    if (!handler) throw new Error(`no handler for ${channel}`)
    return handler({}, ...args)
  },
  /** Emits an app event with a preventable event object; returns it. */
  emitApp(name: string, ...args: unknown[]): FakeEvent {
    const e = event()
    app.emit(name, e, ...args)
    return e
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false
  requestSingleInstanceLock(): boolean {
    return fake.singleInstance
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
  getPath(name: string): string {
    return name === 'userData' ? fake.userData : tmpdir()
  }
  getLocale(): string {
    return 'en-US'
  }
  getVersion(): string {
    return '0.0.0-test'
  }
  quit(): void {
    fake.quitCalls += 1
  }
  exit(code = 0): void {
    fake.exitCodes.push(code)
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    fake.loginItem = { openAtLogin: settings.openAtLogin }
  }
}

/** The fake `app`. */
export const app = new FakeApp()

class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; payload: unknown }> = []
  openHandler: ((details: { url: string }) => { action: string }) | null = null
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler
  }
}

/** A window: records its options, the URL it loaded and its visibility. */
export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents()
  url: string | null = null
  visible = false
  focused = 0
  destroyed = false
  minimized = false
  bounds: { x: number; y: number; width: number; height: number }

  constructor(readonly options: { width?: number; height?: number; webPreferences?: Record<string, unknown> }) {
    super()
    this.bounds = { x: 0, y: 0, width: options.width ?? 800, height: options.height ?? 600 }
    fake.windows.push(this)
  }
  loadURL(url: string): Promise<void> {
    this.url = url
    this.emit('ready-to-show')
    return Promise.resolve()
  }
  show(): void {
    this.visible = true
  }
  hide(): void {
    this.visible = false
  }
  focus(): void {
    this.focused += 1
  }
  isMinimized(): boolean {
    return this.minimized
  }
  restore(): void {
    this.minimized = false
  }
  getBounds(): { x: number; y: number; width: number; height: number } {
    return this.bounds
  }
  destroy(): void {
    this.destroyed = true
    this.visible = false
  }
  /** What the user's click on the close button does. */
  userClose(): FakeEvent {
    const e = event()
    this.emit('close', e)
    if (!e.defaultPrevented) this.destroy()
    return e
  }
}

/** The fake `BrowserWindow`. */
export const BrowserWindow = FakeBrowserWindow

/** A menu: just its template. */
export interface FakeMenu {
  template: Array<Record<string, unknown>>
}

/** The fake `Menu`. */
export const Menu = {
  buildFromTemplate(template: Array<Record<string, unknown>>): FakeMenu {
    return { template }
  }
}

/** An image by path, remembering whether it is a macOS template image. */
export class FakeImage {
  template = false
  constructor(readonly path: string) {}
  setTemplateImage(on: boolean): void {
    this.template = on
  }
}

/** The fake `nativeImage`. */
export const nativeImage = {
  createFromPath: (path: string): FakeImage => new FakeImage(path)
}

/** A tray icon: records its image, title, tooltip and menu. */
export class FakeTray extends EventEmitter {
  title = ''
  tooltip = ''
  menu: FakeMenu | null = null
  destroyed = false
  constructor(public image: FakeImage) {
    super()
    fake.trays.push(this)
  }
  setImage(image: FakeImage): void {
    this.image = image
  }
  setTitle(title: string): void {
    this.title = title
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu
  }
  destroy(): void {
    this.destroyed = true
  }
}

/** The fake `Tray`. */
export const Tray = FakeTray

/** The fake `clipboard`. */
export const clipboard = {
  writeText(text: string): void {
    fake.clipboard = text
  },
  readText(): string {
    return fake.clipboard
  }
}

/** The fake `shell`. */
export const shell = {
  openExternal(url: string): Promise<void> {
    fake.openedExternal.push(url)
    return Promise.resolve()
  }
}

/** The fake `ipcMain`. */
export const ipcMain = {
  handle(channel: string, handler: Listener): void {
    fake.handlers.set(channel, handler)
  },
  removeHandler(channel: string): void {
    fake.handlers.delete(channel)
  }
}

/** The fake `Notification`. */
export class Notification {
  static isSupported(): boolean {
    return true
  }
  constructor(private readonly options: { title: string; body: string }) {}
  show(): void {
    fake.notifications.push(this.options)
  }
}

/** The fake `contextBridge` (for the preload). */
export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    fake.exposed.set(key, api)
  }
}

/** The fake `ipcRenderer` (for the preload). */
export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    fake.invoked.push({ channel, args })
    return Promise.resolve(`answer of ${channel}`)
  },
  on(channel: string, listener: Listener): void {
    const set = fake.rendererListeners.get(channel) ?? new Set()
    set.add(listener)
    fake.rendererListeners.set(channel, set)
  },
  removeListener(channel: string, listener: Listener): void {
    fake.rendererListeners.get(channel)?.delete(listener)
  }
}

fake.reset()
