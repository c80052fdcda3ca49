import type { ChannelDto } from '@shared/dto/channel'
import type { GroupDto } from '@shared/dto/group'
import { NButton, NSpace, NSwitch, NTag, NText, NTooltip, type DataTableColumns } from 'naive-ui'
import { h } from 'vue'
import { channelCondition, tierSummary } from './plan'

/** What the table's cells need from the page. */
export interface GroupTableContext {
  t: (key: string, named?: Record<string, unknown>) => string
  /** English-style plural: `tc(key, n)`. */
  tc: (key: string, count: number) => string
  channels: () => ReadonlyMap<number, ChannelDto> | null
  isToggling: (id: number) => boolean
  toggle: (group: GroupDto, enabled: boolean) => void
  edit: (group: GroupDto) => void
  remove: (group: GroupDto) => void
}

/** Members the relay will skip or try last because of their channel's state. */
function unavailable(group: GroupDto, channels: ReadonlyMap<number, ChannelDto> | null): number {
  if (channels === null) return 0
  return group.members.filter(m => channelCondition(channels.get(m.channelId)) !== 'ready').length
}

/** Columns of the groups table. */
export function groupColumns(ctx: GroupTableContext): DataTableColumns<GroupDto> {
  const { t } = ctx
  return [
    {
      key: 'name',
      title: t('column.name'),
      minWidth: 160,
      sorter: (a, b) => a.name.localeCompare(b.name),
      render: group => h('code', { class: 'group-name' }, group.name)
    },
    {
      key: 'mode',
      title: t('column.mode'),
      width: 110,
      render: group => h(NTag, { size: 'small', bordered: false }, () => t(`mode.${group.mode}`))
    },
    {
      key: 'members',
      title: t('column.members'),
      width: 150,
      render: group => {
        const down = unavailable(group, ctx.channels())
        return h('div', { class: 'members-cell' }, [
          h('span', { 'data-testid': 'group-member-count' }, ctx.tc('memberCount', group.members.length)),
          down > 0
            ? h(NTooltip, null, {
                trigger: () => h(NTag, { size: 'tiny', type: 'warning', bordered: false }, () => t('unavailable', { n: down })),
                default: () => t('unavailableHint')
              })
            : null
        ])
      }
    },
    {
      key: 'tiers',
      title: t('column.tiers'),
      width: 130,
      render: group => {
        const tiers = tierSummary(group.members)
        if (tiers.length === 0) return h(NText, { depth: 3 }, () => '—')
        return h(NSpace, { size: 4 }, () => tiers.map(tier => h(NTag, { size: 'tiny', round: true }, () => t('tier', { priority: tier.priority, count: tier.count }))))
      }
    },
    {
      key: 'enabled',
      title: t('column.enabled'),
      width: 60,
      render: group =>
        h(NSwitch, {
          value: group.enabled,
          size: 'small',
          loading: ctx.isToggling(group.id),
          'data-testid': 'group-toggle',
          'onUpdate:value': (value: boolean) => ctx.toggle(group, value)
        })
    },
    {
      key: 'pattern',
      title: t('column.pattern'),
      minWidth: 120,
      ellipsis: { tooltip: true },
      render: group => (group.modelPattern ? h('code', group.modelPattern) : h(NText, { depth: 3 }, () => '—'))
    },
    {
      key: 'actions',
      title: t('column.actions'),
      width: 140,
      render: group =>
        h(NSpace, { size: 4, wrap: false }, () => [
          h(NButton, { size: 'small', 'data-testid': 'group-edit', onClick: () => ctx.edit(group) }, () => t('action.edit')),
          h(NButton, { size: 'small', type: 'error', ghost: true, 'data-testid': 'group-delete', onClick: () => ctx.remove(group) }, () => t('action.delete'))
        ])
    }
  ]
}
