import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import astro from 'eslint-plugin-astro';
import tseslint from 'typescript-eslint';

// Layers only point down (docs/architecture.md): each folder lists the folders it must not
// import. Consumers at the top may import the database's types, never its queries.
const CONSUMERS = [
  'api',
  'http',
  'publishing',
  'console',
  'notify',
  'metrics',
  'cli',
  'pages',
  'components',
  'integrations',
];
const ROOT = ['runtime.ts', 'boot.ts', 'fetch.ts'];
const folder = (name) => [`**/${name}/**`, `../${name}`, `./${name}`];
const file = (name) => [`**/${name}`];
const forbid = (folders, files = ROOT) => [...folders.flatMap(folder), ...files.flatMap(file)];

const LAYERS = [
  {
    files: ['src/domain/**', 'src/lib/**'],
    up: forbid(['db', 'auth', 'services', 'render', ...CONSUMERS], [...ROOT, 'config.ts', 'logger.ts']),
  },
  // Languages, catalogues and message formatting: pure, like the domain.
  {
    files: ['src/i18n/**'],
    up: forbid(['db', 'auth', 'services', 'render', ...CONSUMERS], [...ROOT, 'config.ts', 'logger.ts']),
  },
  {
    files: ['src/db/**'],
    up: forbid(['auth', 'services', 'render', ...CONSUMERS], [...ROOT, 'config.ts', 'logger.ts']),
  },
  { files: ['src/auth/**'], up: forbid(['services', 'render', ...CONSUMERS]) },
  { files: ['src/services/**'], up: forbid(['render', ...CONSUMERS]) },
  { files: ['src/render/**'], up: forbid(CONSUMERS) },
];

const restrict = (patterns, message) => ['error', { patterns: [{ group: patterns, message }] }];

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.astro/', 'data/', 'coverage/', 'tests/.tmp/', 'bench/.out/'] },
  ...tseslint.configs.recommended,
  // Pages and components hold frontmatter code too: the same rules, layers included.
  ...astro.configs['flat/recommended'],
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...LAYERS.map(({ files, up }) => ({
    files,
    rules: {
      'no-restricted-imports': restrict(
        up,
        'This import points up a layer: domain ← db ← auth ← services ← render ← consumers (see docs/architecture.md).',
      ),
    },
  })),
  {
    // Use cases call repositories; they do not build queries.
    files: ['src/services/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
          message: 'Queries live in src/db: add or use a repository function there.',
        },
      ],
    },
  },
  {
    // Handlers, pages, the worker and the console make service calls; the queries live in src/db.
    files: CONSUMERS.map((name) => `src/${name}/**`),
    ignores: ['src/pages/**/*.astro', 'src/components/**/*.astro'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: folder('db'),
              allowTypeImports: true,
              message: 'Consumers call services; only src/db runs queries (types from src/db are fine).',
            },
          ],
        },
      ],
    },
  },
  {
    // In .astro files the type-aware rule cannot tell type imports apart; `import type` lines
    // are allowed by the plain rule's importNames-free pattern below only when written as such.
    files: ['src/pages/**/*.astro', 'src/components/**/*.astro'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: folder('db'),
              allowTypeImports: true,
              message: 'Pages call services; only src/db runs queries (types from src/db are fine).',
            },
          ],
        },
      ],
    },
  },
  // Formatting is prettier's: eslint's stylistic rules step aside.
  prettier,
);
