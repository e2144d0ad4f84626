#!/usr/bin/env node
// The `tandem` command. The runtime is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/electron/runtime/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('tandem: the runtime is not built yet (dist/ is missing). Run "npm run build" in the Tandem folder first.');
  process.exit(1);
}
await import(entry.href);
