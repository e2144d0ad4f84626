/**
 * The runtime's command line as the desktop app drives it: which flags it forwards from its own
 * command line and how it reads the runtime's address back. Pure, so it is tested without Electron.
 */

// The app's own argv also carries Chromium's, Electron's and Playwright's switches: only these
// reach the runtime (see `tandem serve --help`).
const forwardedFlags = ['--project', '--node', '--port', '--host', '--data', '--log-level'] as const;

const listeningLine = /^Tandem listening on (https?:\/\/[^\s/]+\/)\s*$/;

/** `serve` and its flags for the runtime, from the app's argv plus the desktop's defaults. */
export function runtimeArgs(appArgv: readonly string[], defaultDataDir: string): string[] {
  const flags = new Map<string, string>();
  for (let i = 0; i < appArgv.length; i++) {
    const arg = appArgv[i] ?? '';
    for (const flag of forwardedFlags) {
      if (arg.startsWith(`${flag}=`)) flags.set(flag, arg.slice(flag.length + 1));
      else if (arg === flag) flags.set(flag, appArgv[++i] ?? '');
    }
  }
  if (!flags.has('--data')) flags.set('--data', defaultDataDir);
  // A fixed default port would keep a second station or a headless runtime on this PC from starting.
  if (!flags.has('--port')) flags.set('--port', '0');
  return ['serve', ...[...flags].flat()];
}

/** The data folder the runtime runs on, from its args (`runtimeArgs` always sets one). */
export function dataDirOf(args: readonly string[]): string {
  return args[args.indexOf('--data') + 1] ?? '';
}

/** The same args with `--port` set, so a restarted runtime keeps the origin the window trusts. */
export function withPort(args: readonly string[], port: string): string[] {
  const at = args.indexOf('--port');
  if (at < 0) return [...args, '--port', port];
  return [...args.slice(0, at + 1), port, ...args.slice(at + 2)];
}

/**
 * The URL the window loads, from the runtime's `Tandem listening on <url>` line (undefined for any
 * other line). A runtime listening on every interface (--host 0.0.0.0) is reached over loopback,
 * where it speaks plain HTTP to this PC.
 */
export function listeningUrl(line: string): string | undefined {
  const url = listeningLine.exec(line)?.[1];
  if (url === undefined) return undefined;
  const parsed = new URL(url);
  if (parsed.hostname === '0.0.0.0' || parsed.hostname === '[::]') {
    parsed.hostname = parsed.hostname === '0.0.0.0' ? '127.0.0.1' : '[::1]';
    parsed.protocol = 'http:';
  }
  return parsed.href;
}
