import { clipboard, Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import type { LiveStats } from '@shared/dto/stats'
import type { CoreControl, GroupSwitch } from '../app/core-control'
import { claudeCodeSetup, codexSetup, type TrayText } from './tray-text'

/** Icon files of the three tray states. */
export interface TrayIcons {
  normal: string
  paused: string
  errors: string
}

/** What the tray is built from. */
export interface TrayDeps {
  control: CoreControl
  baseUrl: string
  port: number
  icons: TrayIcons
  /** macOS shows a title beside the icon and uses template images; elsewhere there is a tooltip. */
  platform: NodeJS.Platform
  text: () => TrayText
  launchAtLogin: () => boolean
  setLaunchAtLogin: (on: boolean) => void
  openWindow: () => void
  quit: () => void
  now: () => number
}

/** How long after the last new error the icon keeps its error state. */
const ERROR_STATE_MS = 60_000

/**
 * The tray icon and its menu: a status line, a checkbox per group (switching it takes effect on
 * the next request), the window, copy-ready setups, pause, launch at login and quit. Live counts
 * come through `update` (the core's live feed, at most once a second) and go to the title on
 * macOS and to the tooltip elsewhere.
 */
export class TrayController {
  private readonly tray: Tray
  private readonly images: Record<keyof TrayIcons, NativeImage>
  private live: LiveStats = { inFlight: 0, requestsToday: 0, errorsToday: 0, inFlightByGroup: {}, requestsPerSecond: 0, droppedLogs: 0 }
  private groups: GroupSwitch[] = []
  private lastErrors = 0
  private lastErrorAt = Number.NEGATIVE_INFINITY

  constructor(private readonly deps: TrayDeps) {
    const image = (path: string): NativeImage => {
      const made = nativeImage.createFromPath(path)
      // Template images follow the menu bar's light or dark appearance on macOS.
      if (deps.platform === 'darwin') made.setTemplateImage(true)
      return made
    }
    this.images = { normal: image(deps.icons.normal), paused: image(deps.icons.paused), errors: image(deps.icons.errors) }
    this.tray = new Tray(this.images.normal)
    this.tray.on('click', () => deps.openWindow())
    this.render()
  }

  /** New live counts (from the live feed). */
  update(live: LiveStats): void {
    if (live.errorsToday > this.lastErrors) this.lastErrorAt = this.deps.now()
    this.lastErrors = live.errorsToday
    this.live = live
    this.render()
  }

  /** Reads the groups again (after an admin change) and redraws. */
  async refreshGroups(): Promise<void> {
    this.groups = await this.deps.control.groups()
    this.render()
  }

  /** Removes the icon (quit). */
  destroy(): void {
    this.tray.destroy()
  }

  /** The menu template as it stands (also what the tests inspect). */
  template(): MenuItemConstructorOptions[] {
    const { deps } = this
    const text = deps.text()
    const paused = deps.control.gate.paused
    const groupItems: MenuItemConstructorOptions[] =
      this.groups.length === 0
        ? [{ label: text.noGroups, enabled: false }]
        : this.groups.map(group => ({ label: group.name, type: 'checkbox', checked: group.enabled, click: () => void this.toggle(group) }))
    return [
      { label: text.status(deps.port, paused, this.live), enabled: false },
      { type: 'separator' },
      { label: text.groups, submenu: groupItems },
      { type: 'separator' },
      { label: text.open, click: () => deps.openWindow() },
      { label: text.copyBaseUrl, click: () => clipboard.writeText(deps.baseUrl) },
      { label: text.copyClaudeCode, click: () => clipboard.writeText(claudeCodeSetup(deps.baseUrl)) },
      { label: text.copyCodex, click: () => clipboard.writeText(codexSetup(deps.baseUrl)) },
      { type: 'separator' },
      { label: text.pause, type: 'checkbox', checked: paused, click: () => this.setPaused(!paused) },
      { label: text.launchAtLogin, type: 'checkbox', checked: deps.launchAtLogin(), click: () => this.setLaunch(!deps.launchAtLogin()) },
      { type: 'separator' },
      { label: text.quit, click: () => deps.quit() }
    ]
  }

  private async toggle(group: GroupSwitch): Promise<void> {
    await this.deps.control.setGroupEnabled(group.id, !group.enabled)
    await this.refreshGroups()
  }

  private setPaused(paused: boolean): void {
    this.deps.control.gate.setPaused(paused)
    this.render()
  }

  private setLaunch(on: boolean): void {
    this.deps.setLaunchAtLogin(on)
    this.render()
  }

  private render(): void {
    const { deps, live } = this
    const text = deps.text()
    const paused = deps.control.gate.paused
    const erring = deps.now() - this.lastErrorAt < ERROR_STATE_MS
    this.tray.setImage(paused ? this.images.paused : erring ? this.images.errors : this.images.normal)
    if (deps.platform === 'darwin') this.tray.setTitle(text.title(live))
    this.tray.setToolTip(text.tooltip(paused, live))
    this.tray.setContextMenu(Menu.buildFromTemplate(this.template()))
  }
}
