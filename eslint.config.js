// ESLint flat config. Besides style and type hygiene it enforces the dependency rules of
// DESIGN.md §2 and docs/architecture-anchors.md §2.3 with `no-restricted-imports`.
// Every boundary message starts with its rule name ("[boundary:core-no-electron] ...") so a
// lint failure says which rule was broken. main/app/boundaries.test.ts proves the rules bite.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const PROTOCOLS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini']
const TEST_FILES = ['**/*.test.ts', 'main/testing/**', 'e2e/**', 'bench/**', '**/*.config.ts']
const NODE_BUILTINS = builtinModules.filter(name => !name.startsWith('_'))

const say = (rule, text) => `[boundary:${rule}] ${text} (DESIGN.md §2, architecture-anchors §2.3).`
/** `dir` itself and everything below it, wherever it appears in a relative specifier. */
const anyDir = (...dirs) => dirs.flatMap(dir => [`**/${dir}`, `**/${dir}/**`])
/** A relative specifier that climbs to the repo root and enters one of `dirs`. */
const climbInto = dirs => `^(\\.\\./)+(${dirs.join('|')})(/|$)`

// Restriction fragments. Flat config replaces (does not merge) a rule's options when several
// blocks match one file, so each zone below gets the union of the fragments that apply to it.
const R = {
  coreNoElectron: {
    paths: ['electron', 'electron-store'].map(name => ({
      name,
      message: say('core-no-electron', 'only main/desktop/ may import electron / electron-store')
    })),
    patterns: [
      {
        group: ['electron/*', 'electron-store/*'],
        message: say('core-no-electron', 'only main/desktop/ may import electron / electron-store')
      }
    ]
  },
  coreNoDesktop: {
    patterns: [
      {
        group: anyDir('desktop'),
        message: say('core-no-desktop', 'main/** outside main/desktop/ must not import main/desktop/')
      }
    ]
  },
  mainNoUi: {
    patterns: [
      {
        group: anyDir('renderer', 'preload'),
        message: say('main-no-ui', 'main/** must not import renderer/ or preload/')
      }
    ]
  },
  storeNoUpper: {
    patterns: [
      {
        group: anyDir('http', 'relay'),
        message: say('store-no-http-relay', 'main/store/ must not import main/http/ or main/relay/')
      }
    ]
  },
  protocolNoStoreHttp: {
    patterns: [
      {
        group: anyDir('store', 'http'),
        message: say('protocol-no-store-http', 'relay/protocols/* must not import main/store/ or main/http/')
      }
    ]
  },
  protocolNoSibling: self => ({
    patterns: [
      {
        group: anyDir(...PROTOCOLS.filter(p => p !== self)),
        message: say('protocol-no-sibling', `relay/protocols/${self} must not import another protocol folder (go through relay/canonical)`)
      }
    ]
  }),
  noNode: zone => ({
    paths: NODE_BUILTINS.map(name => ({ name, message: say(`${zone}-no-node`, `${zone}/ must not import node builtins`) })),
    patterns: [{ group: ['node:*'], message: say(`${zone}-no-node`, `${zone}/ must not import node builtins`) }]
  }),
  noElectron: zone => ({
    patterns: [{ group: ['electron', 'electron/*', 'electron-store', 'electron-store/*'], message: say(`${zone}-no-electron`, `${zone}/ must not import electron`) }]
  }),
  sharedOnlyZod: extra => ({
    patterns: [
      { regex: climbInto(['main', 'renderer', 'preload']), message: say('shared-pure', 'shared/ must not import main/, renderer/ or preload/') },
      {
        // Bare specifiers other than zod / @shared (node builtins and electron have their own messages).
        regex: `^(?!\\.|@shared(/|$)|zod(/|$)|node:|electron(-store)?(/|$)|(${[...NODE_BUILTINS, ...extra].join('|')})$)`,
        message: say('shared-pure', 'shared/ may import only zod and shared/ itself')
      }
    ]
  }),
  rendererOnlyShared: {
    patterns: [{ regex: climbInto(['main', 'preload']), message: say('renderer-only-shared', 'renderer/ must not import main/ or preload/ (types come from shared/)') }]
  },
  preloadNoApp: {
    patterns: [{ regex: climbInto(['main', 'renderer']), message: say('preload-no-app', 'preload/ must not import main/ or renderer/') }]
  }
}

const restrict = (...fragments) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: fragments.flatMap(f => f.paths ?? []),
      patterns: fragments.flatMap(f => f.patterns ?? [])
    }
  ]
})
const core = [R.coreNoElectron, R.coreNoDesktop, R.mainNoUi]

const unusedVars = [
  'error',
  {
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
    ignoreRestSiblings: true
  }
]
const tsRules = {
  '@typescript-eslint/no-explicit-any': 'error',
  '@typescript-eslint/consistent-type-imports': 'error',
  'no-unused-vars': 'off',
  '@typescript-eslint/no-unused-vars': unusedVars
}

export default defineConfig([
  globalIgnores(['out/', 'node_modules/', 'data/', 'coverage/', 'test-results/', 'playwright-report/', 'e2e/screenshots/']),

  // --- language setup ------------------------------------------------------------------------
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': unusedVars }
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: tsRules
  },
  {
    files: ['renderer/**/*.vue'],
    extends: [js.configs.recommended, tseslint.configs.recommended, vue.configs['flat/recommended']],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' }
    },
    rules: {
      ...tseslint.configs.eslintRecommended.rules,
      ...tsRules,
      // Layout rules of the plugin's recommended set: templates are kept compact, one element a line.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off'
    }
  },
  // A page is a folder; its component is that folder's index.vue (DESIGN §2, architecture-anchors §2.2).
  { files: ['renderer/pages/**/index.vue'], rules: { 'vue/multi-word-component-names': 'off' } },
  { files: ['main/**', 'e2e/**', 'bench/**', '**/*.config.ts'], languageOptions: { globals: globals.node } },
  { files: ['preload/**'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  { files: ['renderer/**'], ignores: ['renderer/*.config.ts'], languageOptions: { globals: globals.browser } },

  // --- main/ conventions ---------------------------------------------------------------------
  // The entry prints its banner / errors to the console by design; everything else uses the logger.
  { files: ['main/**'], ignores: ['main/index.ts', '**/*.test.ts'], rules: { 'no-console': 'error' } },
  {
    // Only load-config reads the environment; main/index.ts hands process.env to it.
    files: ['main/**', 'shared/**'],
    ignores: ['main/app/load-config.ts', 'main/index.ts', ...TEST_FILES],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: say('env-in-load-config', 'only main/app/load-config.ts reads process.env; take config as a parameter') }
      ]
    }
  },

  // --- dependency rules (later blocks override earlier ones for the same file) ---------------
  { files: ['main/**'], ignores: ['main/desktop/**'], rules: restrict(...core) },
  { files: ['main/store/**'], rules: restrict(...core, R.storeNoUpper) },
  ...PROTOCOLS.map(p => ({
    files: [`main/relay/protocols/${p}/**`],
    rules: restrict(...core, R.protocolNoStoreHttp, R.protocolNoSibling(p))
  })),
  { files: ['main/desktop/**'], rules: restrict(R.mainNoUi) },
  {
    files: ['shared/**'],
    rules: {
      ...restrict(R.noNode('shared'), R.noElectron('shared'), R.sharedOnlyZod([])),
      'no-restricted-globals': ['error', { name: 'process', message: say('shared-pure', 'shared/ must not use process') }]
    }
  },
  { files: ['shared/**/*.test.ts'], rules: restrict(R.noNode('shared'), R.noElectron('shared'), R.sharedOnlyZod(['vitest'])) },
  {
    files: ['renderer/**'],
    ignores: ['renderer/*.config.ts'],
    rules: restrict(R.noNode('renderer'), R.noElectron('renderer'), R.rendererOnlyShared)
  },
  { files: ['preload/**'], ignores: ['preload/**/*.test.ts'], rules: restrict(R.preloadNoApp) }
])
