import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Op } from '../../../shared/protocol/ops.js';
import { PeerEnvelope } from '../../../shared/protocol/peer.js';
import { ProjectStore } from '../store/project-store.js';
import { opsEnvelopeText } from './envelope-text.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function storeWithOps(): ProjectStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-envelope-'));
  dirs.push(dir);
  const store = ProjectStore.open(dir, 'p');
  store.setEpoch(2);
  const ops: Op[] = [
    { id: 's/1', kind: 'samples', t: 1_000, driver: 'Sim', through: 1_100, samples: [{ tag: 'A "quoted" tag', t: 1_000, v: 0.1 + 0.2, q: 'good' }] },
    { id: 'c/1', kind: 'cel', t: 1_050, cel: { id: 'c/1', t: 1_050, node: 'pc-a', kind: 'system', user: null, text: 'line\nbreak and ünïcode', alarmId: null, tag: null, state: null } },
  ];
  store.append(ops, 2);
  return store;
}

describe('ops envelopes as text', () => {
  it('parse to the same envelope as the ops read as objects', () => {
    const store = storeWithOps();
    const head = { project: 'p', from: 'pc-a', epoch: 2 };
    for (const message of [{ type: 'append', prevSeq: 0 } as const, { type: 'handback', fromSeq: 0 } as const]) {
      const envelope = opsEnvelopeText(head, message, store.opsAfterJson(0, 10));
      const parsed = PeerEnvelope.parse(JSON.parse(envelope.text));
      expect(parsed).toEqual({ ...head, message: { ...message, ops: store.opsAfter(0, 10) } });
      expect(envelope).toMatchObject({ project: 'p', message: { type: message.type } });
    }
    expect(JSON.parse(opsEnvelopeText(head, { type: 'append', prevSeq: 2 }, store.opsAfterJson(2, 10)).text).message.ops).toEqual([]);
    store.close();
  });
});
