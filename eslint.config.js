import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Files at one depth of src/cli/ may import their siblings and src/app/, nothing else of src/. */
function cliImportsOnlyApp(files, regex) {
  const message = 'The CLI imports only src/app/ (and its own files): go through the app.';
  return { files, rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] } };
}

const NO_PROCESS_ENV = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read the environment only in src/config/load.ts.',
};
const NO_PLAIN_ERROR = {
  selector: "NewExpression[callee.name='Error']",
  message: 'Throw an AsmvsError with a code from the catalogue (src/errors.ts); INTERNAL for a broken invariant.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'infra/target/', '.stack/', 'coverage/', 'dist/', '.build-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', NO_PROCESS_ENV],
    },
  },
  // One error catalogue: src/ raises AsmvsErrors only.
  { files: ['src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', NO_PROCESS_ENV, NO_PLAIN_ERROR] } },
  // The CLI parses arguments and prints; what it runs comes from src/app/ (the app factory and its use cases).
  cliImportsOnlyApp(['src/cli/*.ts'], '^(\\.\\./)+(?!app/)'),
  cliImportsOnlyApp(['src/cli/*/**/*.ts'], '^(\\.\\./){2,}(?!app/)'),
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' } },
  },
  { files: ['src/config/load.ts', 'src/cli/main.ts'], rules: { 'no-restricted-syntax': ['error', NO_PLAIN_ERROR] } },
  { files: ['test/**', 'bench/**', 'scripts/**', 'bin/**'], rules: { 'no-restricted-syntax': 'off' } },
);
