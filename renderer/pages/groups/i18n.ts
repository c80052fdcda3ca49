import { defineMessages } from '../../i18n'

/** Texts of the groups page. `$`, `@`, `|` and braces are message syntax: examples come in as values. */
export const messages = defineMessages({
  en: {
    title: 'Groups',
    subtitle: 'A group is a model name your clients ask for. Cuttle sends each request to its members — (channel, upstream model) pairs — and fails over between them.',
    create: 'New group',
    searchPlaceholder: 'Search names, patterns, channels, models',
    loadError: 'The groups could not be loaded.',
    channelsError: 'The channels could not be loaded ({message}); member channels show without their state.',
    empty: {
      title: 'No groups yet',
      body: 'A group is a model name clients can ask for, like "smart" or "claude-sonnet-4-5". Give it channels as members and Cuttle balances and fails over between them.',
      noMatch: 'No group matches "{search}".'
    },
    column: {
      name: 'Name (model)',
      mode: 'Mode',
      members: 'Members',
      tiers: 'Priority tiers',
      enabled: 'On',
      pattern: 'Pattern',
      actions: 'Actions'
    },
    memberCount: 'no members | {n} member | {n} members',
    unavailable: '{n} unavailable',
    unavailableHint: 'Disabled channels and channels without a usable key are skipped; cooling ones are tried last.',
    tier: 'P{priority} ×{count}',
    mode: {
      failover: 'Failover',
      'round-robin': 'Round robin',
      weighted: 'Weighted',
      random: 'Random'
    },
    modeHelp: {
      failover: 'The first member in list order; the next one only when it fails.',
      'round-robin': 'Members take turns: each request starts one member further along.',
      weighted: 'Requests are shared by weight (3 and 1 give 75 % and 25 %); the others back up.',
      random: 'Each request tries the members in a fresh random order.'
    },
    toast: {
      on: '{name} is on: requests for it are served.',
      off: '{name} is off: requests for it are refused (403).',
      created: 'Group {name} created.',
      saved: 'Group {name} saved.'
    },
    deleteBody: 'Requests for model "{name}" will no longer use this group. This cannot be undone.',
    form: {
      createTitle: 'New group',
      editTitle: 'Edit group {name}',
      name: 'Name — the model name clients send',
      namePlaceholder: 'e.g. smart or claude-sonnet-4-5',
      nameRequired: 'Give the group a name.',
      nameSpaces: 'A model name has no spaces.',
      mode: 'Balancing mode',
      modeHint: 'Members with the lowest priority number are tried first; the mode orders members that share a priority.',
      enabled: 'Enabled',
      enabledHint: 'A disabled group refuses its requests with 403.',
      members: 'Members',
      membersIncomplete: 'Choose a channel and a model for every member.',
      fallback: 'Fallback groups',
      fallbackPlaceholder: 'None',
      fallbackHint: 'Groups to turn to once every member failed. Saved with the group; the relay does not follow them yet.',
      maxAttempts: 'Max attempts',
      maxAttemptsDefault: 'Setting: {n}',
      maxAttemptsUnknown: 'From the settings',
      maxAttemptsHint: 'Most upstream tries for one request, keys and members together.',
      totalTimeout: 'Total timeout (seconds)',
      totalTimeoutPlaceholder: 'No limit',
      totalTimeoutHint: 'How long a request may look for an answer; streaming after the first bytes is not cut.',
      pattern: 'Model pattern',
      patternPlaceholder: 'e.g. {example}',
      patternHint: 'Optional. A JavaScript regular expression, case-sensitive, matched anywhere in the name (anchor it: {example}). When a model sync finds a matching model, it joins as a member.',
      patternMatches: "Matches in your channels' models: {models}",
      patternMatchesMore: "Matches in your channels' models: {models} and {n} more",
      patternMatchesNone: "Matches none of your channels' models yet.",
      patternInvalid: 'Not a valid regular expression yet: {reason}',
      invalid: 'Some fields need attention.'
    },
    editor: {
      channel: 'Channel',
      model: 'Upstream model',
      priority: 'Priority',
      weight: 'Weight',
      priorityHint: 'Lower is tried first.',
      weightHint: 'Used in weighted mode.',
      channelPlaceholder: 'Channel',
      modelPlaceholder: 'Model',
      add: 'Add member',
      up: 'Move up',
      down: 'Move down',
      remove: 'Remove',
      empty: 'No members yet: requests for this group fail until you add one.',
      noChannels: 'There are no channels yet. Create one on the Channels page first.',
      notListed: 'Not in this channel\'s model list',
      condition: {
        disabled: 'Channel disabled: skipped',
        cooling: 'Cooling: tried last',
        keysSetAside: 'Every key set aside: skipped',
        missing: 'Channel not found'
      }
    },
    preview: {
      title: 'Order a request tries',
      tier: 'Priority {priority}',
      failover: 'in this order',
      'round-robin': 'taking turns',
      weighted: 'shared by weight',
      random: 'in random order',
      cooling: 'Cooling, tried after all others',
      skipped: 'Not used',
      attempts: 'A request makes at most {n} attempts, then fails.',
      empty: 'Add members to see the order.'
    }
  },
  zh: {
    title: '分组',
    subtitle: '分组就是客户端请求的模型名。Cuttle 把每个请求发给它的成员（渠道 + 上游模型），并在成员之间故障转移。',
    create: '新建分组',
    searchPlaceholder: '搜索名称、规则、渠道、模型',
    loadError: '无法加载分组。',
    channelsError: '无法加载渠道（{message}），成员渠道的状态无法显示。',
    empty: {
      title: '还没有分组',
      body: '分组是客户端可以请求的模型名，例如 "smart" 或 "claude-sonnet-4-5"。把渠道加为成员，Cuttle 会在它们之间负载均衡和故障转移。',
      noMatch: '没有与 "{search}" 匹配的分组。'
    },
    column: {
      name: '名称（模型）',
      mode: '模式',
      members: '成员',
      tiers: '优先级层',
      enabled: '启用',
      pattern: '规则',
      actions: '操作'
    },
    memberCount: '没有成员 | {n} 个成员 | {n} 个成员',
    unavailable: '{n} 个不可用',
    unavailableHint: '已停用的渠道和没有可用密钥的渠道会被跳过；冷却中的渠道最后尝试。',
    tier: 'P{priority} ×{count}',
    mode: {
      failover: '故障转移',
      'round-robin': '轮询',
      weighted: '加权',
      random: '随机'
    },
    modeHelp: {
      failover: '按列表顺序使用第一个成员，失败时才用下一个。',
      'round-robin': '成员轮流：每个请求从下一个成员开始。',
      weighted: '按权重分配请求（3 和 1 即 75 % 和 25 %），其余成员作为后备。',
      random: '每个请求以新的随机顺序尝试成员。'
    },
    toast: {
      on: '{name} 已启用：其请求会被处理。',
      off: '{name} 已停用：其请求会被拒绝（403）。',
      created: '分组 {name} 已创建。',
      saved: '分组 {name} 已保存。'
    },
    deleteBody: '请求模型 "{name}" 将不再使用此分组。此操作无法撤销。',
    form: {
      createTitle: '新建分组',
      editTitle: '编辑分组 {name}',
      name: '名称（客户端发送的模型名）',
      namePlaceholder: '例如 smart 或 claude-sonnet-4-5',
      nameRequired: '请为分组命名。',
      nameSpaces: '模型名不能包含空格。',
      mode: '负载均衡模式',
      modeHint: '优先级数字最小的成员最先尝试；模式决定同一优先级内成员的顺序。',
      enabled: '启用',
      enabledHint: '停用的分组会以 403 拒绝请求。',
      members: '成员',
      membersIncomplete: '请为每个成员选择渠道和模型。',
      fallback: '后备分组',
      fallbackPlaceholder: '无',
      fallbackHint: '所有成员都失败后转向的分组。会随分组保存，但中转暂不使用。',
      maxAttempts: '最大尝试次数',
      maxAttemptsDefault: '设置值：{n}',
      maxAttemptsUnknown: '使用设置',
      maxAttemptsHint: '单个请求最多向上游尝试的次数（密钥和成员合计）。',
      totalTimeout: '总超时（秒）',
      totalTimeoutPlaceholder: '不限',
      totalTimeoutHint: '请求寻找应答的最长时间；收到首批数据后的流式传输不会被截断。',
      pattern: '模型规则',
      patternPlaceholder: '例如 {example}',
      patternHint: '可选。JavaScript 正则表达式，区分大小写，匹配名称的任意位置（锚定写法：{example}）。模型同步发现匹配的模型时，会将其加为成员。',
      patternMatches: '在渠道模型中匹配：{models}',
      patternMatchesMore: '在渠道模型中匹配：{models} 等另外 {n} 个',
      patternMatchesNone: '目前不匹配任何渠道模型。',
      patternInvalid: '还不是有效的正则表达式：{reason}',
      invalid: '有字段需要修改。'
    },
    editor: {
      channel: '渠道',
      model: '上游模型',
      priority: '优先级',
      weight: '权重',
      priorityHint: '数字小的先尝试。',
      weightHint: '用于加权模式。',
      channelPlaceholder: '渠道',
      modelPlaceholder: '模型',
      add: '添加成员',
      up: '上移',
      down: '下移',
      remove: '移除',
      empty: '还没有成员：添加成员之前，此分组的请求都会失败。',
      noChannels: '还没有渠道。请先在渠道页面创建一个。',
      notListed: '不在此渠道的模型列表中',
      condition: {
        disabled: '渠道已停用：跳过',
        cooling: '冷却中：最后尝试',
        keysSetAside: '所有密钥已搁置：跳过',
        missing: '找不到渠道'
      }
    },
    preview: {
      title: '请求的尝试顺序',
      tier: '优先级 {priority}',
      failover: '按此顺序',
      'round-robin': '轮流',
      weighted: '按权重分配',
      random: '随机顺序',
      cooling: '冷却中，在其他成员之后尝试',
      skipped: '不使用',
      attempts: '一个请求最多尝试 {n} 次，之后失败。',
      empty: '添加成员后可查看顺序。'
    }
  }
})
