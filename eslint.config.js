// Lint configuration: recommended JS and type-aware TypeScript rules over src, bench, examples and web (the dashboard).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/out/**', 'bench/out/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules: each TypeScript file is checked with the types of its own tsconfig (the root one,
  // or web/tsconfig.json for the dashboard).
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts', '**/*.tsx'] })),
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      // node:test runs what test() and describe() register; their promises are not ours to await.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      // React calls event handlers and ignores what they return; an async onSubmit is the usual form.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // Callback props and Kysely's expression builder are declared as methods but never use `this`;
      // the rule cannot tell them from methods that do, and flags every destructured one.
      '@typescript-eslint/unbound-method': 'off',
      // An async function without await keeps its interface's Promise shape (Evidence.open, test stubs).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Callbacks run in the browser (Playwright's evaluate) use DOM types, which the Node project lacks.
    files: ['**/*.e2e.test.ts', '**/*.browser.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Vite's config belongs to no tsconfig: lint it without types.
    files: ['web/vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Build and check scripts (the single executable's, its SEA launcher in CommonJS, the package check) run
    // under Node.
    files: ['scripts/**/*.mjs', 'scripts/**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        require: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // dependency-cruiser's configuration is CommonJS, read by its own loader.
    files: ['.dependency-cruiser.cjs'],
    languageOptions: { globals: { module: 'readonly' } },
  },
  {
    // The WebAssembly build script runs under Node.
    files: ['wasm/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
  {
    // The dashboard shows attacker-controlled text: only ever as React text nodes, never parsed as HTML.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'render text as React children; never dangerouslySetInnerHTML',
        },
        {
          selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'render text as React children; never innerHTML',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]',
          message: 'no HTML from strings in the dashboard',
        },
      ],
    },
  },
);
