/**
 * Words the whole UI shares (navigation, actions, states). A page's own wording lives beside the
 * page (`pages/<page>/i18n.ts`) and is merged in with `usePageI18n`, so pages stay independent.
 */
export const common = {
  en: {
    app: { name: 'Cuttle', tagline: 'LLM relay' },
    nav: {
      dashboard: 'Dashboard',
      channels: 'Channels',
      groups: 'Groups',
      apiKeys: 'API keys',
      prices: 'Prices',
      logs: 'Logs',
      settings: 'Settings',
      connect: 'Connect your tools'
    },
    action: {
      save: 'Save',
      cancel: 'Cancel',
      create: 'Create',
      add: 'Add',
      edit: 'Edit',
      delete: 'Delete',
      confirm: 'Confirm',
      refresh: 'Refresh',
      search: 'Search',
      retry: 'Try again',
      copy: 'Copy',
      close: 'Close',
      signOut: 'Sign out'
    },
    state: {
      loading: 'Loading…',
      copied: 'Copied',
      saved: 'Saved',
      deleted: 'Deleted',
      enabled: 'Enabled',
      disabled: 'Disabled',
      none: 'None',
      never: 'Never',
      unknown: 'Unknown'
    },
    confirm: {
      deleteTitle: 'Delete {name}?',
      deleteBody: 'This cannot be undone.'
    },
    error: {
      title: 'Something went wrong',
      network: 'Cannot reach the Cuttle server.'
    },
    theme: { label: 'Theme', system: 'System', light: 'Light', dark: 'Dark' },
    language: { label: 'Language' },
    live: { inFlight: 'In flight', perSecond: 'req/s', today: 'Today', errors: 'Errors' },
    signIn: {
      title: 'Sign in to Cuttle',
      username: 'Username',
      password: 'Password',
      submit: 'Sign in',
      hint: 'The admin password was printed when Cuttle started for the first time (or set with CUTTLE_ADMIN_PASSWORD).',
      server: 'Server {version}',
      serverDown: 'The server does not answer.'
    }
  },
  zh: {
    app: { name: 'Cuttle', tagline: 'LLM 中转' },
    nav: {
      dashboard: '仪表盘',
      channels: '渠道',
      groups: '分组',
      apiKeys: 'API 密钥',
      prices: '价格',
      logs: '日志',
      settings: '设置',
      connect: '连接你的工具'
    },
    action: {
      save: '保存',
      cancel: '取消',
      create: '创建',
      add: '添加',
      edit: '编辑',
      delete: '删除',
      confirm: '确认',
      refresh: '刷新',
      search: '搜索',
      retry: '重试',
      copy: '复制',
      close: '关闭',
      signOut: '退出登录'
    },
    state: {
      loading: '加载中…',
      copied: '已复制',
      saved: '已保存',
      deleted: '已删除',
      enabled: '已启用',
      disabled: '已停用',
      none: '无',
      never: '从不',
      unknown: '未知'
    },
    confirm: {
      deleteTitle: '删除 {name}？',
      deleteBody: '此操作无法撤销。'
    },
    error: {
      title: '出错了',
      network: '无法连接 Cuttle 服务器。'
    },
    theme: { label: '主题', system: '跟随系统', light: '浅色', dark: '深色' },
    language: { label: '语言' },
    live: { inFlight: '进行中', perSecond: '请求/秒', today: '今日', errors: '错误' },
    signIn: {
      title: '登录 Cuttle',
      username: '用户名',
      password: '密码',
      submit: '登录',
      hint: '管理员密码在 Cuttle 首次启动时打印（或通过 CUTTLE_ADMIN_PASSWORD 设置）。',
      server: '服务器 {version}',
      serverDown: '服务器没有响应。'
    }
  }
} as const
