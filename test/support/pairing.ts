import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorResponse, ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import type { AcceptPairingResponse, OutgoingPairing, PairingStatus } from '../../shared/protocol/pairing.js';
import { FAST_PROJECT } from './fixtures.js';
import { getJson, loginAdmin, postJson, startRuntimeProcess, type RuntimeProcess } from './runtime-process.js';

/** A standalone node of the fast test project that answers discovery on `discoveryPort`. */
export function startPairingNode(node: string, dataDir: string, discoveryPort: number, env: Record<string, string> = {}): Promise<RuntimeProcess> {
  return startRuntimeProcess({ dataDir, args: ['--project', FAST_PROJECT, '--node', node, '--discovery-port', String(discoveryPort)], env });
}

/**
 * Pairing needs an engineer: the tests sign in as the first administrator, afresh for each call,
 * since pairing changes the key tokens are signed with (the pair's secret).
 */
export function adminToken(runtime: RuntimeProcess): Promise<string> {
  return loginAdmin(runtime.url);
}

export async function pairingOf(runtime: RuntimeProcess): Promise<PairingStatus> {
  return (await getJson<PairingStatus>(`${runtime.url}api/pairing`, await adminToken(runtime))).body;
}

export async function projectStatus(runtime: RuntimeProcess): Promise<ProjectStatus> {
  return (await getJson<StatusResponse>(`${runtime.url}api/status`)).body.projects[0]!;
}

export async function startPairing(server: RuntimeProcess, address: string, path = 'start') {
  return postJson<OutgoingPairing & ErrorResponse>(`${server.url}api/pairing/${path}`, { project: 'fast', address }, await adminToken(server));
}

/** Types `code` on the Standby for its one waiting request. */
export async function acceptWith(standby: RuntimeProcess, code: string) {
  const request = (await pairingOf(standby)).incoming[0]!;
  return postJson<AcceptPairingResponse & ErrorResponse>(`${standby.url}api/pairing/incoming/${request.id}/accept`, { code }, await adminToken(standby));
}

/** The cluster document a node persisted, or null. */
export function persistedCluster(runtime: RuntimeProcess): string | null {
  const path = join(runtime.dataDir, 'cluster.json');
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** A code that is surely not `code`. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** `host:port` of a runtime, as an operator would type it. */
export function addressOf(runtime: RuntimeProcess): string {
  return new URL(runtime.url).host;
}

/** A runtime's address as other PCs and the pair use it: https:// (its printed URL on loopback is http://). */
export function secureUrl(runtime: RuntimeProcess): string {
  return runtime.url.replace(/^http:/, 'https:');
}

/** The fingerprint of a runtime's TLS certificate as it printed it at start, as a cluster document holds it. */
export function fingerprintOf(runtime: RuntimeProcess): string {
  const printed = /TLS certificate of this node: SHA-256 ([0-9A-F:]{95})/.exec(runtime.output());
  if (!printed) throw new Error(`${runtime.url} printed no certificate fingerprint`);
  return printed[1]!.replace(/:/g, '').toLowerCase();
}
