// `npm start` (after `npm run build`): the desktop app where an Electron binary is installed,
// otherwise the same runtime headless, whose operator UI any browser opens. Extra arguments
// (`npm start -- --port 7500`) go to either one; see docs/desktop.md.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const listeningLine = /^Tandem listening on (https?:\/\/[^\s/]+\/)\s*$/;

const electron = await findElectron();
if (electron.binary) {
  // better-sqlite3 is built for this Node, not Electron's: the desktop app runs its runtime on it.
  run(electron.binary, ['.', ...args], { env: { TANDEM_RUNTIME_NODE: process.execPath }, ownGroup: true });
} else {
  console.log(
    'Tandem: no Electron binary is installed here, so the desktop window cannot open:\n' +
      `  ${electron.missing}.\n` +
      '  The "electron" package downloads its binary while "npm install" runs; on this machine that\n' +
      '  download failed or was skipped. Starting the runtime headless instead: it serves the same\n' +
      '  operator UI to a web browser.',
  );
  const runtime = run(process.execPath, ['bin/tandem.js', 'serve', ...args], { stdout: 'pipe' });
  createInterface({ input: runtime.stdout }).on('line', (line) => {
    console.log(line);
    const url = listeningLine.exec(line)?.[1];
    // On every address the node speaks plain HTTP to this PC: no certificate warning for the local browser.
    if (url) console.log(`Tandem: open ${url.replace(/^https?:\/\/0\.0\.0\.0:/, 'http://127.0.0.1:')} in a browser. Ctrl+C stops it.`);
  });
}

/** The `electron` package's default export is the path of the binary its install step downloaded. */
async function findElectron() {
  try {
    const { default: binary } = await import('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
    return { missing: `the "electron" package names a binary at ${binary}, and there is none` };
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') return { missing: 'the optional dependency "electron" is not installed' };
    return { missing: `the "electron" package is installed but its binary is not (${String(error?.message ?? error).split('\n')[0]})` };
  }
}

/**
 * Runs the child in the project folder, hands it the first stop signal and exits as it does. A
 * second signal (npm forwards Ctrl+C too) would make Electron skip its clean quit, in which it
 * stops its runtime; so Electron also gets a process group of its own, out of the terminal's reach.
 */
function run(command, commandArgs, { stdout = 'inherit', env = {}, ownGroup = false } = {}) {
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['inherit', stdout, 'inherit'],
    detached: ownGroup && process.platform !== 'win32',
  });
  let forwarded = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (!forwarded) child.kill(signal);
      forwarded = true;
    });
  }
  child.on('error', (error) => {
    console.error(`Tandem: cannot start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
  return child;
}
