import { commandOpId, pairSettingsOpId, type CelFact, type Op, type OperatorCommand, type PairSettings } from '../../../shared/protocol/ops.js';
import type { CommandRequest } from './engine-types.js';
import type { PairState } from './pair-state.js';

export type PairCommand = Extract<OperatorCommand, { kind: 'switchover' | 'preferred' | 'freeze' | 'service' }>;

const PAIR_COMMANDS: ReadonlySet<string> = new Set(['switchover', 'preferred', 'freeze', 'service']);

export function isPairCommand(command: OperatorCommand): command is PairCommand {
  return PAIR_COMMANDS.has(command.kind);
}

type Outcome = { ok: true; ops: Op[]; switchover: boolean } | { ok: false; code: 'notFound' | 'conflict' | 'invalid'; message: string };

/**
 * The Server's answer to a command that steers the pair: new role settings, logged and replicated
 * like every record so both nodes follow them, with a CEL entry naming the user. A command that
 * could leave the project without a Server (switching to a Standby that is not ready, taking the
 * Server out of service with nobody to hand over to) is refused and changes nothing.
 */
export function pairCommand(s: PairState, request: CommandRequest & { command: PairCommand }): Outcome {
  const { command, user } = request;
  const { self, peer } = s.config;
  if (peer === null) return { ok: false, code: 'invalid', message: 'this project runs standalone: pair it with a Standby first' };
  const node = command.kind === 'switchover' ? command.to : command.kind === 'freeze' ? self : command.node;
  if (node !== self && node !== peer) return { ok: false, code: 'notFound', message: `node "${node}" is not in this pair (${self}, ${peer})` };
  const current = s.settings;
  const next: Omit<PairSettings, 'version' | 't' | 'user'> = { preferred: current.preferred, frozen: current.frozen, outOfService: current.outOfService };
  let text: string;
  let switchover = false;
  switch (command.kind) {
    case 'switchover': {
      if (node === self) return { ok: false, code: 'conflict', message: `${self} already serves` };
      const refusal = handOverRefusal(s);
      if (refusal) return { ok: false, code: 'conflict', message: `cannot switch over to ${peer}: ${refusal}` };
      next.preferred = peer;
      switchover = true;
      text = `${user} switched the Server role over to ${peer} (now the preferred Server)`;
      break;
    }
    case 'preferred':
      next.preferred = node;
      text = `${user} made ${node} the preferred Server${current.frozen ? ' (roles are frozen: it takes effect when they are unfrozen)' : ''}`;
      break;
    case 'freeze':
      next.frozen = command.frozen;
      text = command.frozen ? `${user} froze the roles: no planned switchover until they are unfrozen (a failed Server is still replaced)` : `${user} unfroze the roles`;
      break;
    case 'service': {
      const out = new Set(current.outOfService);
      if (command.inService) {
        out.delete(node);
        text = `${user} put ${node} back in service`;
      } else {
        if (node === self && s.role === 'server') {
          const refusal = handOverRefusal(s);
          if (refusal) return { ok: false, code: 'conflict', message: `cannot take the Server ${self} out of service: ${refusal}` };
        }
        out.add(node);
        text = `${user} took ${node} out of service: it neither serves nor takes over until it is back in service`;
      }
      next.outOfService = [...out].sort();
      break;
    }
  }
  const settings: PairSettings = { ...next, version: current.version + 1, t: s.nowMs, user };
  const id = pairSettingsOpId(settings);
  const note = command.comment ? ` — "${command.comment}"` : '';
  const cel: CelFact = { id, t: s.nowMs, node: self, kind: 'operator', user, text: text + note, alarmId: null, tag: null, state: null };
  const recorded: Op = { id: commandOpId(request.requestId), kind: 'command', t: s.nowMs, requestId: request.requestId, user, command };
  return { ok: true, ops: [recorded, { id, kind: 'pairSettings', t: s.nowMs, settings, cel }], switchover };
}

/** Why this Server cannot hand its role to the Standby now, or null when it can. */
export function handOverRefusal(s: PairState): string | null {
  const peer = s.config.peer!;
  if (s.settings.frozen) return 'the roles are frozen (maintenance); unfreeze them first';
  if (!s.inService(peer)) return `${peer} is out of service; put it back in service first`;
  if (!s.peerAlive || s.peer.role !== 'standby') return `${peer} is not a Standby ready to take over (it is ${s.peerAlive ? (s.peer.role ?? 'starting') : 'not heard'})`;
  return null;
}
