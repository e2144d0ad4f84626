import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDatabaseFile } from './open-database.js';
import { ProjectStore } from './project-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('checkpoints', () => {
  it('copy the write-ahead log into the file while the store stays open, beside the writer', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-checkpoint-'));
    dirs.push(dataDir);
    const store = ProjectStore.open(dataDir, 'p');
    const file = projectDatabaseFile(dataDir, 'p');
    const sizeAtOpen = fs.statSync(file).size;
    const samples = Array.from({ length: 5_000 }, (_, i) => ({ tag: `T${i}`, t: 1_000, v: i, q: 'good' as const }));
    for (let n = 0; n < 20; n++) {
      store.append([{ id: `s/${n}`, kind: 'samples', t: 1_000 + n, driver: 'Sim', through: 1_000 + n, samples: samples.map((s) => ({ ...s, t: 1_000 + n * 100 })) }], 0);
    }
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).size < sizeAtOpen + 4 * 1024 * 1024 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.statSync(file).size).toBeGreaterThan(sizeAtOpen + 4 * 1024 * 1024);
    const started = Date.now();
    store.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    const reopened = ProjectStore.open(dataDir, 'p');
    expect(reopened.position().seq).toBe(20);
    reopened.close();
  });
});
