// Lint, including the layer table of shared/ARCHITECTURE.md: imports flow downward only.
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*'], message: 'this layer is std-only: no Node built-ins' };
const electronPkg = { group: ['electron', 'electron/*'], message: 'only electron/main and electron/preload use Electron' };
const uiPkgs = { group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'uplot'], message: 'UI packages belong to renderer/' };
const nodePkgs = { group: ['better-sqlite3', 'ws'], message: 'Node adapters belong to electron/runtime' };
const up = (dir, why) => ({ group: [`**/${dir}/**`, `**/${dir}`], message: why });

function layer(files, patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  layer(['shared/**/*.ts'], [
    nodeBuiltins, electronPkg, uiPkgs, nodePkgs,
    up('electron', 'shared/ may not import electron/'), up('renderer', 'shared/ may not import renderer/'),
  ]),
  layer(['electron/engine/**/*.ts'], [
    nodeBuiltins, electronPkg, uiPkgs, nodePkgs,
    up('runtime', 'the engine is pure: it may not import the runtime'), up('main', 'the engine may not import electron/main'),
    up('preload', 'the engine may not import electron/preload'), up('renderer', 'the engine may not import renderer/'),
  ]),
  {
    files: ['electron/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'time is an input of the engine' },
        { name: 'setInterval', message: 'time is an input of the engine' },
        { name: 'Date', message: 'time is an input of the engine' },
        { name: 'performance', message: 'time is an input of the engine' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'randomness is an input of the engine' }],
    },
  },
  layer(['electron/runtime/**/*.ts'], [
    electronPkg, uiPkgs,
    up('main', 'the runtime runs without Electron: it may not import electron/main'),
    up('preload', 'the runtime may not import electron/preload'), up('renderer', 'the runtime may not import renderer/'),
  ]),
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], [
    nodeBuiltins, electronPkg, nodePkgs, up('electron', 'the renderer talks to a runtime over the protocol only'),
  ]),
  layer(['electron/main/**/*.ts', 'electron/preload/**/*.ts', 'electron/preload/**/*.cts'], [
    uiPkgs, up('renderer', 'the shell may not import renderer/'), up('engine', 'the shell starts the runtime process; it does not embed the engine'),
  ]),
);
