import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files that ship with Tandem (demo project, built UI) are found from the package root, which is
 * the same whether this module runs from source (tests) or from dist/ (the app).
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tandem') return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the Tandem package root (package.json) above ' + fileURLToPath(import.meta.url));
}

export const PACKAGE_ROOT = findPackageRoot();
export const DEMO_PROJECT_FILE = join(PACKAGE_ROOT, 'projects', 'demo.json');
export const UI_DIR = join(PACKAGE_ROOT, 'dist', 'renderer');
export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
