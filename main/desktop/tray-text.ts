import type { LiveStats } from '@shared/dto/stats'

/** The tray's words in one language. */
export interface TrayText {
  status(port: number, paused: boolean, live: LiveStats): string
  title(live: LiveStats): string
  tooltip(paused: boolean, live: LiveStats): string
  groups: string
  noGroups: string
  open: string
  copyBaseUrl: string
  copyClaudeCode: string
  copyCodex: string
  pause: string
  launchAtLogin: string
  quit: string
}

const EN: TrayText = {
  status: (port, paused, live) =>
    paused ? `Paused · 127.0.0.1:${port}` : `Relaying on 127.0.0.1:${port} · ${live.inFlight} in flight · ${live.requestsToday} today`,
  title: live => `${live.inFlight} ↯ ${live.requestsToday}${live.errorsToday > 0 ? ` ⚠ ${live.errorsToday}` : ''}`,
  tooltip: (paused, live) =>
    `Cuttle${paused ? ' (paused)' : ''} — ${live.inFlight} in flight, ${live.requestsToday} requests today, ${live.errorsToday} errors`,
  groups: 'Groups',
  noGroups: 'No groups yet',
  open: 'Open Cuttle',
  copyBaseUrl: 'Copy base URL',
  copyClaudeCode: 'Copy Claude Code setup',
  copyCodex: 'Copy Codex setup',
  pause: 'Pause relay',
  launchAtLogin: 'Launch at login',
  quit: 'Quit Cuttle'
}

const ZH: TrayText = {
  status: (port, paused, live) => (paused ? `已暂停 · 127.0.0.1:${port}` : `中转中 127.0.0.1:${port} · 进行中 ${live.inFlight} · 今日 ${live.requestsToday}`),
  title: EN.title,
  tooltip: (paused, live) => `Cuttle${paused ? '（已暂停）' : ''} — 进行中 ${live.inFlight}，今日请求 ${live.requestsToday}，错误 ${live.errorsToday}`,
  groups: '分组',
  noGroups: '还没有分组',
  open: '打开 Cuttle',
  copyBaseUrl: '复制基础 URL',
  copyClaudeCode: '复制 Claude Code 配置',
  copyCodex: '复制 Codex 配置',
  pause: '暂停中转',
  launchAtLogin: '登录时启动',
  quit: '退出 Cuttle'
}

/** The tray's words for a language preference (`system` follows the OS locale). */
export function trayText(language: 'system' | 'en' | 'zh', systemLocale: string): TrayText {
  const zh = language === 'zh' || (language === 'system' && systemLocale.toLowerCase().startsWith('zh'))
  return zh ? ZH : EN
}

/** Shell lines that point Claude Code at Cuttle (the client key cannot be read back, so it is a placeholder). */
export function claudeCodeSetup(baseUrl: string): string {
  return [`export ANTHROPIC_BASE_URL=${baseUrl}`, 'export ANTHROPIC_AUTH_TOKEN=<a Cuttle client key (ck-…)>', 'claude'].join('\n')
}

/** The Codex provider block for ~/.codex/config.toml. */
export function codexSetup(baseUrl: string): string {
  return [
    'model_provider = "cuttle"',
    '',
    '[model_providers.cuttle]',
    'name = "Cuttle"',
    `base_url = "${baseUrl}/v1"`,
    'env_key = "CUTTLE_KEY"',
    'wire_api = "responses"',
    'supports_websockets = false',
    '',
    '# then: export CUTTLE_KEY=<a Cuttle client key (ck-…)>'
  ].join('\n')
}
