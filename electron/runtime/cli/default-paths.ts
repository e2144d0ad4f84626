import { homedir, hostname } from 'node:os';
import { join } from 'node:path';

/** Where a user's Tandem data lives when --data is not given, by the platform's custom. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Tandem', 'data');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Tandem', 'data');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'tandem');
}

/** Node names appear in URLs, logs and the CEL: the host name, reduced to safe characters. */
export function defaultNodeName(): string {
  return hostname().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'node';
}
