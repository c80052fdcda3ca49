import { defineMessages } from '../../i18n'

/** Texts of the API keys page. Amounts come in formatted, so no currency sign sits in a message. */
export const messages = defineMessages({
  en: {
    title: 'API keys',
    subtitle: 'The keys your tools use to call Cuttle. A key can be limited to some groups and can expire; only its first characters are kept visible.',
    create: 'New key',
    loadError: 'The keys could not be loaded.',
    empty: {
      title: 'No API keys yet',
      body: 'Claude Code, Codex, the SDKs and your editor authenticate to Cuttle with a key from this page.',
      next: 'Create a key, then Connect your tools.',
      connect: 'Connect your tools'
    },
    column: {
      name: 'Name',
      prefix: 'Key',
      groups: 'Allowed models',
      limits: 'Limits',
      expires: 'Expires',
      enabled: 'On',
      created: 'Created',
      actions: 'Actions'
    },
    allGroups: 'All',
    moreGroups: '+{n}',
    noLimits: 'None',
    limit: {
      rpm: '{n} req/min',
      tpm: '{n} tokens/min',
      budget: '{amount}/month'
    },
    expired: 'Expired {date}',
    revoke: 'Revoke',
    revokeTitle: 'Revoke {name}?',
    revokeBody: 'Tools using the key {prefix} get 401 from their next request. The key cannot be brought back.',
    revoked: 'Key {name} revoked.',
    toast: {
      on: 'Key {name} enabled.',
      off: 'Key {name} disabled: requests with it get 401.',
      saved: 'Key {name} saved.'
    },
    form: {
      createTitle: 'New API key',
      editTitle: 'Edit key {name}',
      name: 'Name',
      namePlaceholder: 'e.g. laptop, ci or claude-code',
      nameRequired: 'Give the key a name.',
      access: 'Models it may use',
      accessAll: 'Every group and model',
      accessSome: 'Only these groups',
      groupsPlaceholder: 'Choose groups (or type a model name)',
      groupsRequired: 'Choose at least one group, or allow every model.',
      groupsHint: 'Any other model is refused with 403.',
      limits: 'Limits',
      rpm: 'Requests per minute',
      tpm: 'Tokens per minute',
      budget: 'Monthly budget (USD)',
      unlimited: 'No limit',
      limitsHint: 'Saved with the key; the relay does not enforce them yet.',
      expires: 'Expires',
      never: 'Never',
      expiresHint: 'From this moment on the key gets 401.',
      in30: 'In 30 days',
      in90: 'In 90 days',
      in365: 'In a year',
      invalid: 'Some fields need attention.'
    },
    created: {
      title: 'Key created',
      warning: 'Copy this key now. Cuttle keeps only a hash of it and will not show it again.',
      label: 'The key for {name}',
      copied: 'Copied to the clipboard.',
      selectInstead: 'This browser does not allow copying here; the key is selected, press Ctrl+C (⌘C on a Mac).',
      done: 'I have copied it',
      next: 'Next: point your tools at Cuttle with this key.'
    }
  },
  zh: {
    title: 'API 密钥',
    subtitle: '你的工具调用 Cuttle 时使用的密钥。密钥可以只允许部分分组，也可以设置过期时间；之后只显示开头几个字符。',
    create: '新建密钥',
    loadError: '无法加载密钥。',
    empty: {
      title: '还没有 API 密钥',
      body: 'Claude Code、Codex、各种 SDK 和编辑器都用这里创建的密钥向 Cuttle 认证。',
      next: '先创建一个密钥，再连接你的工具。',
      connect: '连接你的工具'
    },
    column: {
      name: '名称',
      prefix: '密钥',
      groups: '允许的模型',
      limits: '限制',
      expires: '过期时间',
      enabled: '启用',
      created: '创建时间',
      actions: '操作'
    },
    allGroups: '全部',
    moreGroups: '+{n}',
    noLimits: '无',
    limit: {
      rpm: '{n} 次/分钟',
      tpm: '{n} tokens/分钟',
      budget: '{amount}/月'
    },
    expired: '已于 {date} 过期',
    revoke: '吊销',
    revokeTitle: '吊销 {name}？',
    revokeBody: '使用密钥 {prefix} 的工具从下一个请求起会收到 401。密钥无法恢复。',
    revoked: '密钥 {name} 已吊销。',
    toast: {
      on: '密钥 {name} 已启用。',
      off: '密钥 {name} 已停用：使用它的请求会收到 401。',
      saved: '密钥 {name} 已保存。'
    },
    form: {
      createTitle: '新建 API 密钥',
      editTitle: '编辑密钥 {name}',
      name: '名称',
      namePlaceholder: '例如 laptop、ci 或 claude-code',
      nameRequired: '请为密钥命名。',
      access: '可使用的模型',
      accessAll: '所有分组和模型',
      accessSome: '仅限这些分组',
      groupsPlaceholder: '选择分组（或输入模型名）',
      groupsRequired: '请至少选择一个分组，或允许所有模型。',
      groupsHint: '其他模型会以 403 拒绝。',
      limits: '限制',
      rpm: '每分钟请求数',
      tpm: '每分钟 tokens',
      budget: '每月预算（美元）',
      unlimited: '不限',
      limitsHint: '会随密钥保存，但中转暂不执行这些限制。',
      expires: '过期时间',
      never: '永不过期',
      expiresHint: '从此刻起该密钥会收到 401。',
      in30: '30 天后',
      in90: '90 天后',
      in365: '一年后',
      invalid: '有字段需要修改。'
    },
    created: {
      title: '密钥已创建',
      warning: '请立即复制此密钥。Cuttle 只保存它的哈希值，之后不会再显示。',
      label: '{name} 的密钥',
      copied: '已复制到剪贴板。',
      selectInstead: '此浏览器不允许在这里复制；密钥已选中，请按 Ctrl+C（Mac 上按 ⌘C）。',
      done: '我已复制',
      next: '下一步：用这个密钥把你的工具指向 Cuttle。'
    }
  }
})
