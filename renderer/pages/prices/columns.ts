import type { PriceDto } from '@shared/dto/price'
import { NButton, NSpace, NTag, NText, NTooltip, type DataTableColumns } from 'naive-ui'
import { h, type VNodeChild } from 'vue'
import { formatCount, formatUsd, sourceKey, SOURCE_TAG_TYPE, type Translate } from './format'

/** What the table's cells need from the page. */
export interface PriceColumnContext {
  t: Translate
  channelName: (id: number) => string
  edit: (price: PriceDto) => void
  remove: (price: PriceDto) => void
  override: (price: PriceDto) => void
}

const usdCell = (value: number): VNodeChild => h('span', { class: 'num' }, formatUsd(value))
/** A missing cache price costs the input price; say so instead of showing a blank. */
const cacheCell = (value: number | null, t: Translate): VNodeChild =>
  value === null ? h(NText, { depth: 3, class: 'num' }, { default: () => t('sameAsInput') }) : usdCell(value)

/** The source tag; a channel price names its channel. */
export function sourceTag(price: PriceDto, t: Translate, channelName: (id: number) => string): VNodeChild {
  const label = price.source === 'channel' && price.channelId !== null ? t('channelOf', { name: channelName(price.channelId) }) : t(`source.${sourceKey(price.source)}`)
  return h(NTag, { size: 'small', type: SOURCE_TAG_TYPE[price.source], bordered: false }, { default: () => label })
}

function tiersCell(price: PriceDto, t: Translate): VNodeChild {
  if (price.tiers.length === 0) return h(NText, { depth: 3 }, { default: () => '—' })
  const lines = price.tiers.map(tier =>
    t('tierLine', { tokens: formatCount(tier.aboveInputTokens), input: formatUsd(tier.input), output: formatUsd(tier.output) })
  )
  return h(NTooltip, null, {
    trigger: () => h(NTag, { size: 'small', round: true }, { default: () => t('tierCount', { n: price.tiers.length }, price.tiers.length) }),
    default: () => lines.map(line => h('div', line))
  })
}

function actionsCell(price: PriceDto, ctx: PriceColumnContext): VNodeChild {
  const { t } = ctx
  if (price.source === 'models.dev') {
    return h(NTooltip, { style: 'max-width: 280px' }, {
      trigger: () =>
        h(NButton, { size: 'tiny', secondary: true, 'data-testid': 'price-override', onClick: () => ctx.override(price) }, { default: () => t('override') }),
      default: () => t('readOnly')
    })
  }
  return h(NSpace, { size: 6, wrap: false }, () => [
    h(NButton, { size: 'tiny', secondary: true, 'data-testid': 'price-edit', onClick: () => ctx.edit(price) }, { default: () => t('action.edit') }),
    h(NButton, { size: 'tiny', secondary: true, type: 'error', 'data-testid': 'price-delete', onClick: () => ctx.remove(price) }, { default: () => t('action.delete') })
  ])
}

/** Columns of the price table. */
export function priceColumns(ctx: PriceColumnContext): DataTableColumns<PriceDto> {
  const { t } = ctx
  return [
    { key: 'model', title: t('col.model'), minWidth: 170, ellipsis: { tooltip: true }, render: row => h('span', { class: 'mono' }, row.model) },
    { key: 'source', title: t('col.source'), width: 130, render: row => sourceTag(row, t, ctx.channelName) },
    { key: 'provider', title: t('col.provider'), width: 110, ellipsis: { tooltip: true }, render: row => row.provider ?? '—' },
    { key: 'input', title: t('col.input'), width: 86, align: 'right', render: row => usdCell(row.input) },
    { key: 'output', title: t('col.output'), width: 86, align: 'right', render: row => usdCell(row.output) },
    { key: 'cacheRead', title: t('col.cacheRead'), width: 92, align: 'right', render: row => cacheCell(row.cacheRead, t) },
    { key: 'cacheWrite', title: t('col.cacheWrite'), width: 92, align: 'right', render: row => cacheCell(row.cacheWrite, t) },
    { key: 'tiers', title: t('col.tiers'), width: 76, render: row => tiersCell(row, t) },
    { key: 'actions', title: t('col.actions'), width: 124, render: row => actionsCell(row, ctx) }
  ]
}
