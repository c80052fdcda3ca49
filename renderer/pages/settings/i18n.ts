import { defineMessages } from '../../i18n'

export const messages = defineMessages({
  en: {
    title: 'Settings',
    subtitle: 'Runtime settings apply at once, without a restart. Start-up options (port, database, secret) are set by flags and environment variables.',
    section: {
      routing: 'Routing and retries',
      timeouts: 'Timeouts and streaming',
      logs: 'Request logs',
      sync: 'Model and price sync'
    },
    field: {
      maxAttempts: { label: 'Max attempts', help: 'Most channels and keys one request may try before the client gets the error (a group may override it).' },
      stickySessionTtlSec: { label: 'Sticky sessions', help: 'A conversation (x-cuttle-session, Claude Code’s session, prompt_cache_key, user, previous_response_id) stays this long on the channel and key that last answered it, so provider prompt caches hit (0: off).' },
      connectTimeoutMs: { label: 'Connect timeout', help: 'How long connecting to a provider (TCP and TLS) may take per attempt.' },
      firstByteTimeoutMs: { label: 'First byte timeout', help: 'How long to wait for the provider’s response headers before trying the next channel.' },
      idleTimeoutMs: { label: 'Idle stream timeout', help: 'Longest silence allowed between two chunks of a streamed answer.' },
      streamKeepAliveSec: { label: 'Stream keep-alive', help: 'After this much upstream silence a stream gets an SSE comment so clients and proxies keep it open.' },
      baseUrlProbeIntervalSec: { label: 'Base URL probes', help: 'Time channels with several base URLs this often, so quiet channels stay ranked (0: real traffic only).' },
      captureBodies: { label: 'Capture bodies', help: 'Keep request and response bodies in the log, to see them in a request’s details.' },
      bodyCaptureLimitBytes: { label: 'Body capture limit', help: 'Bytes kept of each captured body; longer bodies are cut.' },
      logRetentionDays: { label: 'Log retention', help: 'Request logs older than this are deleted (checked at start and every 10 minutes).' },
      logMaxRows: { label: 'Most log rows', help: 'Beyond this many rows the oldest are deleted first.' },
      modelSyncIntervalHours: { label: 'Model sync interval', help: 'How often channels with auto-sync ask their provider for its models (fractions allowed).' },
      autoGroups: { label: 'Automatic groups', help: 'A synced model that no group is named after gets a group of its own.' },
      priceSyncIntervalHours: { label: 'Price sync interval', help: 'How often the models.dev prices are refreshed (fractions allowed).' },
      pricesSyncUrl: { label: 'Prices sync URL', help: 'Where the models.dev catalogue is read from; a mirror works too.' }
    },
    unit: { attempts: 'attempts', ms: 'ms', s: 's', h: 'hours', days: 'days', bytes: 'bytes', rows: 'rows' },
    zero: { never: 'never', off: 'off' },
    range: 'allowed {min} – {max}',
    required: 'Required',
    changed: 'changed',
    unsaved: '{n} unsaved change | {n} unsaved changes',
    noChanges: 'No unsaved changes',
    discard: 'Discard',
    loadFailed: 'The settings could not be loaded.',
    password: {
      title: 'Change admin password',
      help: 'Changing it signs out every other session; this one continues with a new token.',
      current: 'Current password',
      new: 'New password',
      confirm: 'Repeat the new password',
      tooShort: 'At least 12 characters',
      mismatch: 'The two passwords differ',
      submit: 'Change password',
      done: 'Password changed; other sessions were signed out.'
    }
  },
  zh: {
    title: '设置',
    subtitle: '运行时设置立即生效，无需重启。启动选项（端口、数据库、密钥）通过命令行参数和环境变量设置。',
    section: {
      routing: '路由与重试',
      timeouts: '超时与流式',
      logs: '请求日志',
      sync: '模型与价格同步'
    },
    field: {
      maxAttempts: { label: '最大尝试次数', help: '一个请求最多尝试多少个渠道和密钥，之后把错误返回给客户端（分组可单独覆盖）。' },
      stickySessionTtlSec: { label: '会话粘滞', help: '同一会话（x-cuttle-session、Claude Code 会话、prompt_cache_key、user、previous_response_id）在此时长内留在上次应答的渠道和密钥上，以命中提供商的提示缓存（0：关闭）。' },
      connectTimeoutMs: { label: '连接超时', help: '每次尝试连接提供商（TCP 与 TLS）允许的时间。' },
      firstByteTimeoutMs: { label: '首字节超时', help: '等待提供商响应头的时间，超时后尝试下一个渠道。' },
      idleTimeoutMs: { label: '流空闲超时', help: '流式回答中两个数据块之间允许的最长静默时间。' },
      streamKeepAliveSec: { label: '流保活', help: '上游静默这么久后，向流中发送一条 SSE 注释，让客户端和代理保持连接。' },
      baseUrlProbeIntervalSec: { label: '基础 URL 探测', help: '按此间隔为拥有多个基础 URL 的渠道测速，让空闲渠道也保持排序（0：只用真实流量）。' },
      captureBodies: { label: '捕获请求体', help: '在日志中保存请求体和响应体，以便在请求详情中查看。' },
      bodyCaptureLimitBytes: { label: '请求体捕获上限', help: '每个捕获的请求体最多保留的字节数，超出部分被截断。' },
      logRetentionDays: { label: '日志保留', help: '早于此时间的请求日志会被删除（启动时及每 10 分钟检查一次）。' },
      logMaxRows: { label: '日志最多行数', help: '超过此行数时，最早的日志先被删除。' },
      modelSyncIntervalHours: { label: '模型同步间隔', help: '开启自动同步的渠道多久向提供商获取一次模型列表（可用小数）。' },
      autoGroups: { label: '自动分组', help: '同步到的模型如果没有同名分组，就为它创建一个分组。' },
      priceSyncIntervalHours: { label: '价格同步间隔', help: '多久刷新一次 models.dev 价格（可用小数）。' },
      pricesSyncUrl: { label: '价格同步地址', help: '读取 models.dev 目录的地址；也可以使用镜像。' }
    },
    unit: { attempts: '次', ms: '毫秒', s: '秒', h: '小时', days: '天', bytes: '字节', rows: '行' },
    zero: { never: '从不', off: '关闭' },
    range: '允许 {min} – {max}',
    required: '必填',
    changed: '已修改',
    unsaved: '{n} 项未保存的修改',
    noChanges: '没有未保存的修改',
    discard: '放弃修改',
    loadFailed: '无法加载设置。',
    password: {
      title: '修改管理员密码',
      help: '修改后其他所有会话都会退出；当前会话会换用新的令牌继续。',
      current: '当前密码',
      new: '新密码',
      confirm: '再次输入新密码',
      tooShort: '至少 12 个字符',
      mismatch: '两次输入的密码不一致',
      submit: '修改密码',
      done: '密码已修改；其他会话已退出。'
    }
  }
})
