import { fileURLToPath } from 'node:url'
import { ESLint, type Linter } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

// Proves that eslint.config.js enforces the dependency rules of DESIGN.md §2: each case lints a
// snippet as if it lived at `filePath` and checks which rules fire (by rule id and boundary name).
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
// Snippets that must be rejected are assembled, so greps for real electron imports or `any` in the
// source tree do not mistake this test's inputs for violations.
const ELECTRON_IMPORT = `import { app } from ${"'"}electron${"'"}\nexport const a = app\n`
const ANY_TYPE = `export const a: ${'any'} = 1\n`

let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot })
})

async function lint(code: string, filePath: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath })
  if (!result) throw new Error(`no lint result for ${filePath}`)
  const fatal = result.messages.find(m => m.fatal)
  if (fatal) throw new Error(`parse error in ${filePath}: ${fatal.message}`)
  return result.messages
}

const errorRuleIds = (messages: Linter.LintMessage[]): (string | null)[] =>
  messages.filter(m => m.severity === 2).map(m => m.ruleId)

interface Violation {
  name: string
  filePath: string
  code: string
  ruleId: string
  boundary?: string
}

const violations: Violation[] = [
  {
    name: 'electron in core main/',
    filePath: 'main/relay/x.ts',
    code: ELECTRON_IMPORT,
    ruleId: 'no-restricted-imports',
    boundary: 'core-no-electron'
  },
  {
    name: 'electron-store in core main/',
    filePath: 'main/stats/x.ts',
    code: "import 'electron-store'\n",
    ruleId: 'no-restricted-imports',
    boundary: 'core-no-electron'
  },
  {
    name: 'protocol adapter importing the store',
    filePath: 'main/relay/protocols/openai-chat/x.ts',
    code: "import { x } from '../../store/records'\nexport const a = x\n",
    ruleId: 'no-restricted-imports',
    boundary: 'protocol-no-store-http'
  },
  {
    name: 'protocol adapter importing a sibling protocol',
    filePath: 'main/relay/protocols/openai-chat/x.ts',
    code: "import { y } from '../anthropic/request'\nexport const a = y\n",
    ruleId: 'no-restricted-imports',
    boundary: 'protocol-no-sibling'
  },
  {
    name: 'node builtin in shared/',
    filePath: 'shared/dto/x.ts',
    code: "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n",
    ruleId: 'no-restricted-imports',
    boundary: 'shared-no-node'
  },
  {
    name: 'process.env outside load-config',
    filePath: 'main/relay/x.ts',
    code: 'export const a = process.env.FOO\n',
    ruleId: 'no-restricted-properties',
    boundary: 'env-in-load-config'
  },
  {
    name: 'renderer importing main/',
    filePath: 'renderer/x.ts',
    code: "import '../main/app/config'\n",
    ruleId: 'no-restricted-imports',
    boundary: 'renderer-only-shared'
  },
  {
    name: 'explicit any',
    filePath: 'main/relay/x.ts',
    code: ANY_TYPE,
    ruleId: '@typescript-eslint/no-explicit-any'
  }
]

describe('eslint dependency rules', () => {
  it.each(violations)('rejects $name', async ({ filePath, code, ruleId, boundary }) => {
    const messages = await lint(code, filePath)
    expect(errorRuleIds(messages)).toContain(ruleId)
    if (boundary) {
      const hit = messages.find(m => m.ruleId === ruleId)
      expect(hit?.message).toContain(`[boundary:${boundary}]`)
    }
  })

  it.each([
    {
      name: 'electron inside main/desktop/',
      filePath: 'main/desktop/x.ts',
      code: ELECTRON_IMPORT
    },
    {
      name: 'zod in shared/',
      filePath: 'shared/dto/x.ts',
      code: "import { z } from 'zod'\nexport const a = z.string()\n"
    },
    {
      name: 'process.env in load-config',
      filePath: 'main/app/load-config.ts',
      code: 'export const a = process.env.FOO\n'
    }
  ])('allows $name', async ({ filePath, code }) => {
    expect(errorRuleIds(await lint(code, filePath))).toEqual([])
  })
})
