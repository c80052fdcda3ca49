import type { RequestLogItem } from '@shared/dto/log-query'
import { NTag, NText, NTooltip, type DataTableColumns } from 'naive-ui'
import { h, type VNodeChild } from 'vue'
import { formatCost, formatCount, formatMs, formatTime, statusType } from './format'

/** The translate function a render function receives from its page. */
export type Translate = (key: string, named?: Record<string, unknown>) => string

/** What the cells need from the page. */
export interface LogColumnContext {
  t: Translate
  channelName: (id: number) => string
  keyName: (id: number) => string
}

const dim = (text: string): VNodeChild => h(NText, { depth: 3, class: 'sub' }, { default: () => text })

/** The coloured status, with the number of attempts when the relay had to try more than one. */
export function statusCell(row: Pick<RequestLogItem, 'status'>, attempts: number, t: Translate): VNodeChild {
  return h('div', { class: 'cell' }, [
    h(NTag, { size: 'small', type: statusType(row.status), bordered: false, 'data-testid': 'log-status' }, { default: () => String(row.status) }),
    attempts > 1 ? dim(t('tries', { n: attempts })) : null
  ])
}

function modelCell(row: RequestLogItem): VNodeChild {
  const upstream = row.upstreamModel !== null && row.upstreamModel !== row.requestedModel ? row.upstreamModel : null
  const title = upstream ? `${row.requestedModel} → ${upstream}` : row.requestedModel
  return h('div', { class: 'cell mono', title }, [h('span', row.requestedModel), upstream ? dim(`→ ${upstream}`) : null])
}

function tokensCell(row: RequestLogItem, t: Translate): VNodeChild {
  const cached = row.cacheReadTokens + row.cacheWriteTokens > 0
  return h('div', { class: 'cell num' }, [
    h('span', `${formatCount(row.inputTokens)} / ${formatCount(row.outputTokens)}`),
    cached ? dim(t('cache', { read: formatCount(row.cacheReadTokens), write: formatCount(row.cacheWriteTokens) })) : null
  ])
}

/** The cost; an answered request without a price says so instead of pretending it cost nothing. */
export function costCell(row: Pick<RequestLogItem, 'cost' | 'status'>, t: Translate): VNodeChild {
  if (row.cost !== null) return h('span', { class: 'num' }, formatCost(row.cost))
  if (row.status >= 400) return dim('—')
  return h(NTooltip, null, {
    trigger: () => h(NText, { type: 'warning', class: 'sub' }, { default: () => t('noPrice') }),
    default: () => t('noPriceHint')
  })
}

/** Columns of the log table. */
export function logColumns(ctx: LogColumnContext): DataTableColumns<RequestLogItem> {
  const { t } = ctx
  return [
    { key: 'time', title: t('col.time'), width: 108, render: row => h('span', { class: 'num' }, formatTime(row.time)) },
    { key: 'status', title: t('col.status'), width: 92, render: row => statusCell(row, row.attemptCount, t) },
    { key: 'model', title: t('col.model'), minWidth: 170, render: modelCell },
    {
      key: 'channel',
      title: t('col.channel'),
      width: 128,
      render: row =>
        h('div', { class: 'cell' }, [
          h('span', row.channelId === null ? '—' : ctx.channelName(row.channelId)),
          dim(row.apiKeyId === null ? '—' : ctx.keyName(row.apiKeyId))
        ])
    },
    {
      key: 'protocol',
      title: t('col.protocol'),
      width: 92,
      render: row => h('div', { class: 'cell' }, [h('span', t(`protocol.${row.clientProtocol}`)), row.stream ? dim(t('stream')) : null])
    },
    { key: 'latency', title: t('col.latency'), width: 76, align: 'right', render: row => h('span', { class: 'num' }, formatMs(row.latencyMs)) },
    { key: 'firstToken', title: t('col.firstToken'), width: 76, align: 'right', render: row => h('span', { class: 'num' }, formatMs(row.firstTokenMs)) },
    { key: 'tokens', title: t('col.tokens'), width: 116, align: 'right', render: row => tokensCell(row, t) },
    { key: 'cost', title: t('col.cost'), width: 82, align: 'right', render: row => costCell(row, t) }
  ]
}
