import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './lint/boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'bench/prism/node_modules/**', 'data/**', 'test-artifacts/**', 'dist/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Only src/config reads process.env.' },
      ],
    },
  },
  { files: ['src/**/*.ts'], plugins: { boundaries }, rules: { 'boundaries/imports': 'error' } },
  { files: ['lint/**/*.js'], languageOptions: { globals: { process: 'readonly' } } },
  { files: ['src/config/**', 'test/**', 'bench/**', 'scripts/**', 'src/cli/**'], rules: { 'no-restricted-syntax': 'off' } },
);
