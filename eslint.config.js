import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import serverless from './tools/eslint-plugin/index.js';

export default tseslint.config(
  { ignores: ['node_modules/', '.vercel/', 'coverage/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // What deploys never reaches for what only helps: tools/ is not shipped with the functions.
    files: ['api/**', 'lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)tools(/|$)', message: 'api/ and lib/ ship to Vercel; tools/ (sandbox, demo backend, bench, analyzer, CLIs) does not.' }] },
      ],
    },
  },
  // Serverless performance rules for what runs inside the functions (api/, lib/): tools/eslint-plugin/README.md.
  serverless.configs.recommended,
  {
    // Command-line entry points talk to a person on the terminal.
    files: ['tools/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
