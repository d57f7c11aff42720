// Lint: typescript-eslint's type-aware rules (floating promises, unsafe `any`, misused promises)
// over the code we ship and the code that tests and measures it. Formatting is prettier's job
// (eslint-config-prettier turns off the rules it owns).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'openapi/**',
      'data/**',
      'docs/**',
      '.scratch/**',
      '.cache/**',
      'models/**',
      'tools/model/.venv/**',
      'bench/results/**',
      'loadtests/**/*.js',
      'bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused parameters named _x are deliberate (interface shapes, fastify handler signatures).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Fastify's route handlers and hooks are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
    },
  },
  {
    // Tests, benchmarks and load tests read JSON bodies (`res.json()` is `any` by design) and then
    // assert their shape; the unsafe-any rules would only demand casts that assert nothing. The
    // code we ship keeps them.
    files: ['test/**', 'bench/**', 'loadtests/**', 'scripts/**', 'support/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // The annotation page's script runs in the browser.
    files: ['src/http/annotate/page/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'localStorage',
          'fetch',
          'console',
          'URLSearchParams',
          'HTMLButtonElement',
          'HTMLInputElement',
          'HTMLTextAreaElement',
          'Event',
          'KeyboardEvent',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  prettier,
);
