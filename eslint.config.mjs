// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * ESLint for this codebase: the recommended and type-checked rules of
 * typescript-eslint, with the few settings below fitted to how the code is
 * written (each says why). Formatting is Prettier's job (`npm run lint` runs both).
 */
export default tseslint.config(
  {
    // Landed migrations are never edited (a change is a new migration), so they are not linted either.
    ignores: ['dist/', 'node_modules/', 'bench/results/', 'src/database/migrations/', 'coverage/'],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a Nest signature, a destructured leftover).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Static mappers are passed as callbacks (`rows.map(Bill.fromRow)`); they do not use `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // A resource declared before the handlers that release it (signals, shutdown) and assigned once later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // GraphQL error codes arrive as strings and are compared with Apollo's and our ErrorCode enums.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // Apollo plugin hooks and ThrottlerGuard overrides are `async` by their interfaces, awaiting or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read GraphQL answers as untyped JSON (`data.pay.balance`) and assert on them: typing every
    // answer would add a type per query for no safety, since `expect` is the check.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    // CommonJS configuration files (jest.config.js) load with require().
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
  },
);
