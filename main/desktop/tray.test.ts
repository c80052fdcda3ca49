import { beforeEach, describe, expect, it } from 'vitest'
import type { LiveStats } from '@shared/dto/stats'
import type { CoreControl, GroupSwitch } from '../app/core-control'
import { RelayGate } from '../relay/relay-gate'
import { fake, type FakeImage } from '../testing/fake-electron'
import { TrayController } from './tray'
import { trayText } from './tray-text'

const ICONS = { normal: '/icons/tray.png', paused: '/icons/tray-paused.png', errors: '/icons/tray-errors.png' }
const live = (over: Partial<LiveStats> = {}): LiveStats => ({ inFlight: 0, requestsToday: 0, errorsToday: 0, inFlightByGroup: {}, requestsPerSecond: 0, droppedLogs: 0, ...over })

/** A control whose groups live in memory and record their switches. */
function control(groups: GroupSwitch[]): CoreControl & { switched: Array<[number, boolean]> } {
  const switched: Array<[number, boolean]> = []
  return {
    switched,
    gate: new RelayGate(),
    issueAdminToken: async () => 'token',
    groups: async () => groups.map(g => ({ ...g })),
    async setGroupEnabled(id, enabled) {
      switched.push([id, enabled])
      const group = groups.find(g => g.id === id)
      if (group) group.enabled = enabled
    }
  }
}

type Item = { label?: string; type?: string; checked?: boolean; enabled?: boolean; submenu?: Item[]; click?: () => void }

function menu(): Item[] {
  const tray = fake.trays.at(-1)
  if (!tray?.menu) throw new Error('no tray menu')
  return tray.menu.template as Item[]
}
const item = (label: string, items: Item[] = menu()): Item => {
  const found = items.find(i => i.label === label)
  if (!found) throw new Error(`no menu item ${label}: ${items.map(i => i.label).join(', ')}`)
  return found
}

describe('TrayController', () => {
  let now = 0
  let launch = false
  let opened = 0
  let quits = 0
  beforeEach(() => {
    fake.reset()
    now = 1_000_000
    launch = false
    opened = 0
    quits = 0
  })
  const start = async (c: CoreControl, platform: NodeJS.Platform = 'linux'): Promise<TrayController> => {
    const tray = new TrayController({
      control: c,
      baseUrl: 'http://127.0.0.1:7878',
      port: 7878,
      icons: ICONS,
      platform,
      text: () => trayText('en', 'en-US'),
      launchAtLogin: () => launch,
      setLaunchAtLogin: on => (launch = on),
      openWindow: () => (opened += 1),
      quit: () => (quits += 1),
      now: () => now
    })
    await tray.refreshGroups()
    return tray
  }

  it('lists every group with its switch, and a click switches it (taking effect through the core)', async () => {
    const c = control([
      { id: 1, name: 'cheap', enabled: false },
      { id: 2, name: 'smart', enabled: true }
    ])
    await start(c)
    const groups = item('Groups').submenu ?? []
    expect(groups.map(g => [g.label, g.type, g.checked])).toEqual([
      ['cheap', 'checkbox', false],
      ['smart', 'checkbox', true]
    ])
    item('smart', groups).click?.()
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(c.switched).toEqual([[2, false]])
    expect((item('Groups').submenu ?? []).map(g => g.checked)).toEqual([false, false])
  })

  it('says so when there is no group yet', async () => {
    await start(control([]))
    expect(item('Groups').submenu).toEqual([{ label: 'No groups yet', enabled: false }])
  })

  it('shows live counts in the macOS title, with template images, and redraws on each update', async () => {
    const tray = await start(control([]), 'darwin')
    const icon = fake.trays[0]?.image as FakeImage
    expect(icon.template).toBe(true)
    tray.update(live({ inFlight: 3, requestsToday: 120 }))
    expect(fake.trays[0]?.title).toBe('3 ↯ 120')
    expect(item('Relaying on 127.0.0.1:7878 · 3 in flight · 120 today').enabled).toBe(false)
    tray.update(live({ inFlight: 1, requestsToday: 125, errorsToday: 2 }))
    expect(fake.trays[0]?.title).toBe('1 ↯ 125 ⚠ 2')
  })

  it('shows them in the tooltip elsewhere (no title), and the error icon for a minute after new errors', async () => {
    const tray = await start(control([]), 'win32')
    tray.update(live({ inFlight: 2, requestsToday: 40, errorsToday: 1 }))
    expect(fake.trays[0]?.title).toBe('')
    expect(fake.trays[0]?.tooltip).toBe('Cuttle — 2 in flight, 40 requests today, 1 errors')
    expect((fake.trays[0]?.image as FakeImage).path).toBe(ICONS.errors)
    now += 61_000
    tray.update(live({ inFlight: 0, requestsToday: 41, errorsToday: 1 }))
    expect((fake.trays[0]?.image as FakeImage).path).toBe(ICONS.normal)
  })

  it('pauses and resumes the relay, with its own icon and status line', async () => {
    const c = control([])
    await start(c)
    item('Pause relay').click?.()
    expect(c.gate.paused).toBe(true)
    expect((fake.trays[0]?.image as FakeImage).path).toBe(ICONS.paused)
    expect(item('Paused · 127.0.0.1:7878').enabled).toBe(false)
    expect(item('Pause relay').checked).toBe(true)
    item('Pause relay').click?.()
    expect(c.gate.paused).toBe(false)
  })

  it('opens the window, copies the base URL and the Claude Code and Codex setups, toggles launch at login and quits', async () => {
    await start(control([]))
    item('Open Cuttle').click?.()
    expect(opened).toBe(1)
    item('Copy base URL').click?.()
    expect(fake.clipboard).toBe('http://127.0.0.1:7878')
    item('Copy Claude Code setup').click?.()
    expect(fake.clipboard).toContain('export ANTHROPIC_BASE_URL=http://127.0.0.1:7878')
    item('Copy Codex setup').click?.()
    expect(fake.clipboard).toContain('base_url = "http://127.0.0.1:7878/v1"')
    expect(fake.clipboard).toContain('wire_api = "responses"')
    item('Launch at login').click?.()
    expect(launch).toBe(true)
    expect(item('Launch at login').checked).toBe(true)
    item('Quit Cuttle').click?.()
    expect(quits).toBe(1)
  })

  it('speaks Chinese when the language is Chinese', () => {
    expect(trayText('zh', 'en-US').quit).toBe('退出 Cuttle')
    expect(trayText('system', 'zh-CN').groups).toBe('分组')
    expect(trayText('system', 'fr-FR').groups).toBe('Groups')
  })
})
