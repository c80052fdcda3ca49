import type { ApiKeyDto } from '@shared/dto/api-key'
import { NButton, NSpace, NSwitch, NTag, NText, NTooltip, type DataTableColumns } from 'naive-ui'
import { h } from 'vue'
import { formatDate, limitTexts } from './format'

/** What the table's cells need from the page. */
export interface KeyTableContext {
  t: (key: string, named?: Record<string, unknown>) => string
  locale: () => string
  now: () => number
  isToggling: (id: number) => boolean
  toggle: (key: ApiKeyDto, enabled: boolean) => void
  edit: (key: ApiKeyDto) => void
  revoke: (key: ApiKeyDto) => void
}

const SHOWN_GROUPS = 2

/** Columns of the API keys table. */
export function keyColumns(ctx: KeyTableContext): DataTableColumns<ApiKeyDto> {
  const { t } = ctx
  return [
    { key: 'name', title: t('column.name'), minWidth: 110, sorter: (a, b) => a.name.localeCompare(b.name), render: key => h('strong', key.name) },
    { key: 'prefix', title: t('column.prefix'), width: 100, render: key => h('code', { 'data-testid': 'key-prefix' }, key.prefix) },
    {
      key: 'groups',
      title: t('column.groups'),
      minWidth: 140,
      render: key => {
        if (key.allowedGroups === null) return h(NTag, { size: 'small', type: 'success', bordered: false }, () => t('allGroups'))
        const shown = key.allowedGroups.slice(0, SHOWN_GROUPS)
        const rest = key.allowedGroups.slice(SHOWN_GROUPS)
        return h(NSpace, { size: 4 }, () => [
          ...shown.map(name => h(NTag, { size: 'small', bordered: false }, () => name)),
          rest.length > 0
            ? h(NTooltip, null, { trigger: () => h(NTag, { size: 'small', bordered: false }, () => t('moreGroups', { n: rest.length })), default: () => rest.join(', ') })
            : null
        ])
      }
    },
    {
      key: 'limits',
      title: t('column.limits'),
      minWidth: 120,
      render: key => {
        const texts = limitTexts(key.limits, ctx.locale(), t)
        if (texts.length === 0) return h(NText, { depth: 3 }, () => t('noLimits'))
        return h('div', { class: 'limits' }, texts.map(text => h('div', text)))
      }
    },
    {
      key: 'expires',
      title: t('column.expires'),
      width: 120,
      render: key => {
        if (key.expiresAt === null) return h(NText, { depth: 3 }, () => t('state.never'))
        const date = formatDate(key.expiresAt, ctx.locale())
        // The day fits the column; the exact moment is in the tooltip.
        const title = formatDate(key.expiresAt, ctx.locale(), true)
        return key.expiresAt <= ctx.now() ? h(NText, { type: 'error', title }, () => t('expired', { date })) : h('span', { title }, date)
      }
    },
    {
      key: 'enabled',
      title: t('column.enabled'),
      width: 64,
      render: key =>
        h(NSwitch, {
          value: key.enabled,
          size: 'small',
          loading: ctx.isToggling(key.id),
          'data-testid': 'key-toggle',
          'onUpdate:value': (value: boolean) => ctx.toggle(key, value)
        })
    },
    {
      key: 'created',
      title: t('column.created'),
      width: 120,
      sorter: (a, b) => a.createdAt - b.createdAt,
      render: key => h(NText, { depth: 2 }, () => formatDate(key.createdAt, ctx.locale()))
    },
    {
      key: 'actions',
      title: t('column.actions'),
      width: 130,
      render: key =>
        h(NSpace, { size: 4, wrap: false }, () => [
          h(NButton, { size: 'small', 'data-testid': 'key-edit', onClick: () => ctx.edit(key) }, () => t('action.edit')),
          h(NButton, { size: 'small', type: 'error', ghost: true, 'data-testid': 'key-revoke', onClick: () => ctx.revoke(key) }, () => t('revoke'))
        ])
    }
  ]
}
