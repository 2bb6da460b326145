/**
 * ESLint (flat config), `npm run lint` and a check of `npm test`. The point is the
 * type-aware rules: a codebase of promises, sockets and timers loses errors to an
 * unawaited promise, an async listener whose rejection nobody handles, or a switch over a
 * state union that misses the state added last. Formatting is prettier's job, not ESLint's.
 */
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'data/**', 'artifacts/**', 'test-results/**'],
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection ends the process).
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (socket.on, setTimeout, express):
      // its rejection goes nowhere.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // State unions are switched over exhaustively (STYLE.md): a new state must be handled.
      // A `default:` is a deliberate "all the others" (the sync machine's inputs that mean the
      // same in every state); a switch without one must name every member.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      // `return await` inside try/catch, or the catch never sees the rejection.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
    },
  },
  {
    files: ['desktop/renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Node scripts: parsed and checked without types.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { sourceType: 'module', ecmaVersion: 'latest' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
);
