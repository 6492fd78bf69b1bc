import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectronInCore = {
  paths: [
    {
      name: 'electron',
      message: 'Only main/app and preload may import electron; the core must run in plain Node.',
    },
  ],
  patterns: [
    { group: ['electron-log/main', 'electron-log/renderer'], message: 'Use main/util/logger.' },
  ],
};

// Raw Electron IPC is allowed only in the transport module and the preload: everywhere else
// main talks through the handler table and the renderer through window.updater.
const RAW_IPC_MESSAGE =
  'Raw Electron IPC is only allowed in main/ipc/electron-transport.ts and preload/index.ts.';
const noRawIpc = [
  "MemberExpression[object.name='ipcMain']",
  "MemberExpression[object.property.name='ipcMain']",
  "MemberExpression[object.name='ipcRenderer']",
  "MemberExpression[object.property.name='ipcRenderer']",
  "CallExpression > MemberExpression.callee[object.name='webContents'][property.name=/^(send|sendToFrame|postMessage)$/]",
  "CallExpression > MemberExpression.callee[object.property.name='webContents'][property.name=/^(send|sendToFrame|postMessage)$/]",
].map((selector) => ({ selector, message: RAW_IPC_MESSAGE }));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'e2e-artifacts/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: [
      'main/ipc/electron-transport.ts',
      'preload/index.ts',
      '**/*.test.ts',
      '**/*.test.tsx',
    ],
    rules: { 'no-restricted-syntax': ['error', ...noRawIpc] },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: { 'no-restricted-imports': ['error', noElectronInCore] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to window.updater.' }],
          patterns: ['**/main/**'],
        },
      ],
    },
  },
);
