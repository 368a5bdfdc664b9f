import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Files at one depth of src/cli/ may import their siblings and src/app/, nothing else of src/. */
function cliImportsOnlyApp(files, regex) {
  const message = 'The CLI imports only src/app/ (and its own files): go through the app.';
  return { files, rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] } };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'infra/target/', '.stack/', 'coverage/', 'dist/', '.build-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in src/config/load.ts.',
        },
      ],
    },
  },
  // The CLI parses arguments and prints; what it runs comes from src/app/ (the app factory and its use cases).
  cliImportsOnlyApp(['src/cli/*.ts'], '^(\\.\\./)+(?!app/)'),
  cliImportsOnlyApp(['src/cli/*/**/*.ts'], '^(\\.\\./){2,}(?!app/)'),
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' } },
  },
  {
    files: ['src/config/load.ts', 'test/**', 'bench/**', 'scripts/**', 'src/cli/main.ts', 'bin/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
