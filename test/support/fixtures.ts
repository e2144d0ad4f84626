import { fileURLToPath } from 'node:url';

export const FAST_PROJECT = fileURLToPath(new URL('../fixtures/fast-project.json', import.meta.url));
