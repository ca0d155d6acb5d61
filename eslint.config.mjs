// ESLint (flat config): typescript-eslint for all TypeScript, the Lit and Web Components rules for
// the elements, Prettier owns formatting (eslint-config-prettier turns the stylistic rules off).
// `pnpm lint` runs it; scripts/test.sh runs it before the tests.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'storybook-static/**',
      '.data/**',
      '.bench/**',
      'coverage/**',
      'packages/elements/cdn/**',
      'scripts/bench/dist/**',
      'scripts/.*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Unused names are errors, except the deliberate `_`-prefixed ones (destructured leftovers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `any` needs a reason: each remaining one carries an eslint-disable comment that says why.
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['packages/elements/src/**/*.ts', 'stories/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['packages/elements/src/**/*.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    // CLIs, scripts, benchmarks and tests talk to the terminal and may use `any` for fixtures.
    files: [
      'scripts/**',
      'stories/**',
      'packages/exporter/src/cli.ts',
      'packages/exporter/src/commands/**',
      'packages/actions-service/src/main.ts',
      '**/test/**',
      '**/*.test.ts',
      '.storybook/**',
      'examples/**',
    ],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Chai's property assertions (`expect(x).to.be.true`) are expressions by design.
    files: ['packages/elements/test/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  prettier,
);
