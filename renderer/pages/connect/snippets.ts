/** What every snippet is filled with. */
export interface SnippetInput {
  /** Cuttle's origin, e.g. `http://127.0.0.1:7878` (no trailing slash, no /v1). */
  origin: string
  /** The client key, or the placeholder when it cannot be shown. */
  key: string
  model: string
}

/** One copy-ready block: `id` names it for tests, `caption` is a translation key. */
export interface Snippet {
  id: string
  caption: string
  language: 'sh' | 'toml' | 'json' | 'js' | 'python'
  code: string
}

/** Stands in for a key that was created earlier: stored keys are hashed and cannot be shown again. */
export const KEY_PLACEHOLDER = 'ck-…'

/** A string literal for JavaScript, Python or TOML (double-quoted, escaped). */
const q = (text: string): string => JSON.stringify(text)
/** Text inside a single-quoted shell argument. */
const sh = (text: string): string => text.replaceAll("'", `'\\''`)
/** A shell word: quoted only when it needs to be. */
const shWord = (text: string): string => (/^[\w@%+=:,./…-]+$/.test(text) ? text : `'${sh(text)}'`)

function claudeCode({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'claude-code-env',
      caption: 'snippet.claudeEnv',
      language: 'sh',
      // Claude Code adds /v1/messages itself: the base URL is the bare origin.
      code: [
        `export ANTHROPIC_BASE_URL=${shWord(origin)}`,
        `export ANTHROPIC_AUTH_TOKEN=${shWord(key)}`,
        `export ANTHROPIC_MODEL=${shWord(model)}`,
        `export ANTHROPIC_DEFAULT_HAIKU_MODEL=${shWord(model)}`,
        'claude'
      ].join('\n')
    },
    {
      id: 'claude-code-settings',
      caption: 'snippet.claudeSettings',
      language: 'json',
      code: JSON.stringify({ env: { ANTHROPIC_BASE_URL: origin, ANTHROPIC_AUTH_TOKEN: key, ANTHROPIC_MODEL: model, ANTHROPIC_DEFAULT_HAIKU_MODEL: model } }, null, 2)
    }
  ]
}

function codex({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'codex-config',
      caption: 'snippet.codexConfig',
      language: 'toml',
      code: [
        `model = ${q(model)}`,
        'model_provider = "cuttle"',
        '',
        '[model_providers.cuttle]',
        'name = "Cuttle"',
        `base_url = ${q(`${origin}/v1`)}`,
        'env_key = "CUTTLE_KEY"',
        'wire_api = "responses"',
        'supports_websockets = false'
      ].join('\n')
    },
    { id: 'codex-env', caption: 'snippet.codexEnv', language: 'sh', code: `export CUTTLE_KEY=${shWord(key)}\ncodex` }
  ]
}

function openai({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'openai-js',
      caption: 'snippet.js',
      language: 'js',
      code: [
        "import OpenAI from 'openai'",
        '',
        `const client = new OpenAI({ baseURL: ${q(`${origin}/v1`)}, apiKey: ${q(key)} })`,
        'const answer = await client.chat.completions.create({',
        `  model: ${q(model)},`,
        "  messages: [{ role: 'user', content: 'Hello' }]",
        '})',
        'console.log(answer.choices[0].message.content)'
      ].join('\n')
    },
    {
      id: 'openai-python',
      caption: 'snippet.python',
      language: 'python',
      code: [
        'from openai import OpenAI',
        '',
        `client = OpenAI(base_url=${q(`${origin}/v1`)}, api_key=${q(key)})`,
        'answer = client.chat.completions.create(',
        `    model=${q(model)},`,
        '    messages=[{"role": "user", "content": "Hello"}],',
        ')',
        'print(answer.choices[0].message.content)'
      ].join('\n')
    }
  ]
}

function anthropic({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'anthropic-js',
      caption: 'snippet.js',
      language: 'js',
      code: [
        "import Anthropic from '@anthropic-ai/sdk'",
        '',
        `const client = new Anthropic({ baseURL: ${q(origin)}, apiKey: ${q(key)} })`,
        'const message = await client.messages.create({',
        `  model: ${q(model)},`,
        '  max_tokens: 1024,',
        "  messages: [{ role: 'user', content: 'Hello' }]",
        '})',
        'console.log(message.content)'
      ].join('\n')
    },
    {
      id: 'anthropic-python',
      caption: 'snippet.python',
      language: 'python',
      code: [
        'import anthropic',
        '',
        `client = anthropic.Anthropic(base_url=${q(origin)}, api_key=${q(key)})`,
        'message = client.messages.create(',
        `    model=${q(model)},`,
        '    max_tokens=1024,',
        '    messages=[{"role": "user", "content": "Hello"}],',
        ')',
        'print(message.content)'
      ].join('\n')
    }
  ]
}

function gemini({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'gemini-js',
      caption: 'snippet.js',
      language: 'js',
      code: [
        "import { GoogleGenAI } from '@google/genai'",
        '',
        `const ai = new GoogleGenAI({ apiKey: ${q(key)}, httpOptions: { baseUrl: ${q(origin)} } })`,
        `const response = await ai.models.generateContent({ model: ${q(model)}, contents: 'Hello' })`,
        'console.log(response.text)'
      ].join('\n')
    },
    {
      id: 'gemini-python',
      caption: 'snippet.python',
      language: 'python',
      code: [
        'from google import genai',
        'from google.genai import types',
        '',
        `client = genai.Client(api_key=${q(key)}, http_options=types.HttpOptions(base_url=${q(origin)}))`,
        `response = client.models.generate_content(model=${q(model)}, contents="Hello")`,
        'print(response.text)'
      ].join('\n')
    }
  ]
}

function curl({ origin, key, model }: SnippetInput): Snippet[] {
  const call = (path: string, headers: string[], body: unknown): string =>
    [`curl ${shWord(`${origin}${path}`)}`, ...headers.map(header => `-H '${sh(header)}'`), `-H 'Content-Type: application/json'`, `-d '${sh(JSON.stringify(body))}'`].join(' \\\n  ')
  const hello = [{ role: 'user', content: 'Hello' }]
  return [
    { id: 'curl-chat', caption: 'snippet.curlChat', language: 'sh', code: call('/v1/chat/completions', [`Authorization: Bearer ${key}`], { model, messages: hello }) },
    { id: 'curl-responses', caption: 'snippet.curlResponses', language: 'sh', code: call('/v1/responses', [`Authorization: Bearer ${key}`], { model, input: 'Hello' }) },
    {
      id: 'curl-messages',
      caption: 'snippet.curlMessages',
      language: 'sh',
      code: call('/v1/messages', [`x-api-key: ${key}`, 'anthropic-version: 2023-06-01'], { model, max_tokens: 1024, messages: hello })
    },
    {
      id: 'curl-gemini',
      caption: 'snippet.curlGemini',
      language: 'sh',
      code: call(`/v1beta/models/${encodeURIComponent(model)}:generateContent`, [`x-goog-api-key: ${key}`], { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] })
    }
  ]
}

/** The tabs of the page, each with its snippets. */
export const TABS = [
  { id: 'claude-code', label: 'tab.claudeCode', build: claudeCode },
  { id: 'codex', label: 'tab.codex', build: codex },
  { id: 'openai', label: 'tab.openai', build: openai },
  { id: 'anthropic', label: 'tab.anthropic', build: anthropic },
  { id: 'gemini', label: 'tab.gemini', build: gemini },
  { id: 'curl', label: 'tab.curl', build: curl }
] as const
