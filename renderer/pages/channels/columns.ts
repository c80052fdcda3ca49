import type { HTMLAttributes } from 'vue'
import type { ChannelDto } from '@shared/dto/channel'
import { NButton, NDropdown, NSwitch, NTag, NText, NTooltip, type DataTableColumns, type DropdownOption } from 'naive-ui'
import { h, type VNodeChild } from 'vue'
import { balanceHost, clockTime, HEALTH_TAG, keyHealth, TYPE_TAG } from './channel-view'

/** Actions a row offers beyond the switch. */
export type RowAction = 'edit' | 'test' | 'sync' | 'balance' | 'reset' | 'delete'

/** What the table's cells need from the page. */
export interface ChannelTableContext {
  t: (key: string, named?: Record<string, unknown>) => string
  tc: (key: string, count: number) => string
  isToggling: (id: number) => boolean
  toggle: (channel: ChannelDto, enabled: boolean) => void
  act: (channel: ChannelDto, action: RowAction) => void
}

/** Model names shown in a tooltip before "…". */
const LISTED = 30

const tip = (trigger: () => VNodeChild, lines: string[]): VNodeChild =>
  h(NTooltip, { disabled: lines.length === 0, style: { maxWidth: '420px' } }, { trigger, default: () => lines.map(line => h('div', line)) })

function healthCell(channel: ChannelDto, ctx: ChannelTableContext): VNodeChild {
  const { t } = ctx
  const health = channel.health
  const lines = [
    ...(health.reason ? [t('health.reason', { reason: health.reason })] : []),
    ...(health.cooldownUntil ? [t('health.until', { time: clockTime(health.cooldownUntil) })] : []),
    ...(health.consecutiveFailures > 0 ? [t('health.failures', { n: health.consecutiveFailures })] : [])
  ]
  const keys = keyHealth(channel.keys)
  const keyLines = channel.keys.map(key => `${key.masked} — ${t(`health.${key.health.status}`)}${key.health.reason ? `: ${key.health.reason}` : ''}`)
  return h('div', { class: 'stacked' }, [
    tip(() => h(NTag, { size: 'small', bordered: false, type: HEALTH_TAG[health.status], 'data-testid': 'channel-health' }, () => t(`health.${health.status}`)), lines.length ? lines : [t('health.fine')]),
    tip(
      () => h(NTag, { size: 'small', bordered: false, type: keys.tag, 'data-testid': 'channel-keys' }, () => (keys.total === 0 ? t('keys.none') : t('keys.summary', keys))),
      keys.total === 0 ? [t('keys.noneHint')] : keyLines
    )
  ])
}

function actionsCell(channel: ChannelDto, ctx: ChannelTableContext): VNodeChild {
  const { t } = ctx
  const item = (key: RowAction, label: string, danger = false): DropdownOption => ({
    key,
    label: danger ? () => h(NText, { type: 'error' }, () => label) : label,
    props: { 'data-testid': `action-${key}` } as HTMLAttributes
  })
  const more: DropdownOption[] = [
    item('sync', t('rowAction.sync')),
    ...(balanceHost(channel.baseUrls) ? [item('balance', t('rowAction.balance'))] : []),
    { type: 'divider', key: 'divider' },
    item('reset', t('rowAction.reset')),
    item('delete', t('rowAction.delete'), true)
  ]
  return h('div', { class: 'actions' }, [
    h(NButton, { size: 'small', secondary: true, type: 'primary', 'data-testid': 'channel-test', onClick: () => ctx.act(channel, 'test') }, () => t('rowAction.test')),
    h(NButton, { size: 'small', 'data-testid': 'channel-edit', onClick: () => ctx.act(channel, 'edit') }, () => t('rowAction.edit')),
    h(NDropdown, { options: more, trigger: 'click', onSelect: (key: RowAction) => ctx.act(channel, key) }, () =>
      h(NButton, { size: 'small', quaternary: true, 'aria-label': t('rowAction.more'), 'data-testid': 'channel-more' }, () => '⋯')
    )
  ])
}

/** Columns of the channels table, sized to fit 1024 px with the menu folded. */
export function channelColumns(ctx: ChannelTableContext): DataTableColumns<ChannelDto> {
  const { t } = ctx
  return [
    {
      key: 'name',
      title: t('column.name'),
      minWidth: 170,
      sorter: (a, b) => a.name.localeCompare(b.name),
      render: channel =>
        h('div', { class: 'stacked' }, [
          h('span', { class: 'channel-name', 'data-testid': 'channel-name-cell' }, channel.name),
          h(NTag, { size: 'tiny', bordered: false, type: TYPE_TAG[channel.type], 'data-testid': 'channel-type' }, () => t(`type.${channel.type}`))
        ])
    },
    {
      key: 'baseUrls',
      title: t('column.baseUrls'),
      minWidth: 160,
      render: channel =>
        tip(
          () =>
            h('div', { class: 'urls' }, [
              h('code', { class: 'url', 'data-testid': 'channel-url' }, channel.baseUrls[0] ?? ''),
              channel.baseUrls.length > 1 ? h(NTag, { size: 'tiny', round: true }, () => `+${channel.baseUrls.length - 1}`) : null
            ]),
          channel.baseUrls
        )
    },
    {
      key: 'models',
      title: t('column.models'),
      width: 96,
      sorter: (a, b) => a.models.length - b.models.length,
      render: channel =>
        tip(
          () => h('span', { 'data-testid': 'channel-model-count' }, ctx.tc('modelCount', channel.models.length)),
          channel.models.length > LISTED ? [...channel.models.slice(0, LISTED), '…'] : channel.models
        )
    },
    {
      key: 'order',
      title: t('column.order'),
      width: 92,
      sorter: (a, b) => a.priority - b.priority || b.weight - a.weight,
      render: channel => tip(() => h('span', t('order', channel)), [t('orderHint', channel)])
    },
    {
      key: 'enabled',
      title: t('column.enabled'),
      width: 64,
      render: channel =>
        h(NSwitch, {
          value: channel.enabled,
          size: 'small',
          loading: ctx.isToggling(channel.id),
          'data-testid': 'channel-enabled',
          onUpdateValue: (enabled: boolean) => ctx.toggle(channel, enabled)
        })
    },
    { key: 'health', title: t('column.health'), width: 150, render: channel => healthCell(channel, ctx) },
    { key: 'actions', title: t('column.actions'), width: 172, render: channel => actionsCell(channel, ctx) }
  ]
}
