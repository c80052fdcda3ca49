import { defineMessages } from '../../i18n'

export const messages = defineMessages({
  en: {
    title: 'Connect your tools',
    subtitle: 'Every client speaks its own protocol to Cuttle, whatever protocol the channel behind it speaks. Pick a key and a model, then copy a snippet.',
    base: {
      title: 'Base URL',
      client: 'Client',
      url: 'Base URL',
      endpoints: 'Endpoints',
      openai: 'OpenAI SDKs, editors, curl',
      anthropic: 'Anthropic SDK, Claude Code',
      gemini: 'Google GenAI SDK, Gemini CLI',
      codex: 'Codex',
      auth: 'The key may be sent as Authorization: Bearer, x-api-key, x-goog-api-key or ?key=.'
    },
    key: {
      title: 'Client key',
      pick: 'Pick a client key',
      none: 'No client keys yet: create one here.',
      disabled: 'disabled',
      or: 'or create a new key',
      name: 'Name, e.g. laptop',
      create: 'Create key',
      created: 'Key “{name}” created. It is shown only this once: copy it now, Cuttle keeps only its hash.',
      inSnippets: 'The snippets below contain this key.',
      placeholder: 'Stored keys cannot be read back, so the snippets show the placeholder {placeholder}: put in the key you saved when it was created, or create a new one here.',
      restricted: 'This key may use only some groups; the model list shows those.',
      nameRequired: 'Give the key a name'
    },
    model: {
      title: 'Model',
      hint: 'Groups and channel models this key may use.',
      groups: 'Groups',
      channelModels: 'Channel models',
      none: 'No model is available to this key yet: add a channel (and a group) first.',
      addChannel: 'Add a channel',
      placeholder: 'your-model'
    },
    tab: {
      claudeCode: 'Claude Code',
      codex: 'Codex',
      openai: 'OpenAI SDK',
      anthropic: 'Anthropic SDK',
      gemini: 'Google GenAI SDK',
      curl: 'curl'
    },
    snippet: {
      claudeEnv: 'In the shell that starts claude (the base URL has no /v1)',
      claudeSettings: 'Or keep them in ~/.claude/settings.json',
      claudeHaiku: 'ANTHROPIC_DEFAULT_HAIKU_MODEL sends Claude Code’s side tasks (titles, summaries) to the same model, so they do not ask for a model Cuttle does not know.',
      codexConfig: 'In ~/.codex/config.toml',
      codexEnv: 'Then start Codex with the key in the environment',
      js: 'JavaScript / TypeScript',
      python: 'Python',
      curlChat: 'OpenAI Chat Completions',
      curlResponses: 'OpenAI Responses',
      curlMessages: 'Anthropic Messages',
      curlGemini: 'Gemini generateContent'
    },
    loadFailed: 'Keys, groups or channels could not be loaded.'
  },
  zh: {
    title: '连接你的工具',
    subtitle: '每个客户端都用自己的协议与 Cuttle 通信，与其背后渠道使用的协议无关。选择密钥和模型，然后复制代码片段。',
    base: {
      title: '基础 URL',
      client: '客户端',
      url: '基础 URL',
      endpoints: '端点',
      openai: 'OpenAI SDK、编辑器、curl',
      anthropic: 'Anthropic SDK、Claude Code',
      gemini: 'Google GenAI SDK、Gemini CLI',
      codex: 'Codex',
      auth: '密钥可以通过 Authorization: Bearer、x-api-key、x-goog-api-key 或 ?key= 发送。'
    },
    key: {
      title: '客户端密钥',
      pick: '选择客户端密钥',
      none: '还没有客户端密钥：在这里创建一个。',
      disabled: '已停用',
      or: '或创建新密钥',
      name: '名称，例如 laptop',
      create: '创建密钥',
      created: '密钥「{name}」已创建。它只显示这一次：请立即复制，Cuttle 只保存它的哈希。',
      inSnippets: '下面的代码片段已包含此密钥。',
      placeholder: '已保存的密钥无法再读取，因此代码片段使用占位符 {placeholder}：请填入创建时保存的密钥，或在这里创建一个新密钥。',
      restricted: '此密钥只能使用部分分组；模型列表只显示这些分组。',
      nameRequired: '请为密钥命名'
    },
    model: {
      title: '模型',
      hint: '此密钥可以使用的分组和渠道模型。',
      groups: '分组',
      channelModels: '渠道模型',
      none: '此密钥还没有可用的模型：请先添加渠道（和分组）。',
      addChannel: '添加渠道',
      placeholder: 'your-model'
    },
    tab: {
      claudeCode: 'Claude Code',
      codex: 'Codex',
      openai: 'OpenAI SDK',
      anthropic: 'Anthropic SDK',
      gemini: 'Google GenAI SDK',
      curl: 'curl'
    },
    snippet: {
      claudeEnv: '在启动 claude 的 shell 中设置（基础 URL 不带 /v1）',
      claudeSettings: '或者写入 ~/.claude/settings.json',
      claudeHaiku: 'ANTHROPIC_DEFAULT_HAIKU_MODEL 让 Claude Code 的辅助任务（标题、摘要）也使用同一个模型，避免请求 Cuttle 不认识的模型。',
      codexConfig: '写入 ~/.codex/config.toml',
      codexEnv: '然后在环境变量中带上密钥启动 Codex',
      js: 'JavaScript / TypeScript',
      python: 'Python',
      curlChat: 'OpenAI Chat Completions',
      curlResponses: 'OpenAI Responses',
      curlMessages: 'Anthropic Messages',
      curlGemini: 'Gemini generateContent'
    },
    loadFailed: '无法加载密钥、分组或渠道。'
  }
})
