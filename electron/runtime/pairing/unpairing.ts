import { OkResponse, type PeerUnpair, type UnpairResponse } from '../../../shared/protocol/pairing.js';
import { HttpError } from '../api/http-error.js';
import { postToNode } from './node-http.js';
import { newNonce, unpairProof, unpairProofMatches } from './pairing-crypto.js';
import type { PairingNode } from './pairing-node.js';

/**
 * Leaving a pair: this node tells its peer (proven with the cluster secret, so only a member can
 * unpair the other) and both run their projects standalone again, data kept. A peer that cannot be
 * reached (a PC that is gone) does not keep this node paired: it is told to unpair there too.
 */
export async function unpair(node: PairingNode): Promise<UnpairResponse> {
  const pair = node.pair();
  if (!pair) throw new HttpError(409, 'notPaired', `${node.name} is not paired; there is nothing to unpair`);
  const unreached: string[] = [];
  for (const peer of pair.peers) {
    const nonce = newNonce();
    const message: PeerUnpair = { cluster: pair.cluster, from: node.name, nonce, proof: unpairProof(pair.secret, pair.cluster, node.name, peer.node, nonce) };
    try {
      await postToNode(peer.url, '/api/pairing/peer/unpair', message, OkResponse, node.identityOf(peer.node));
    } catch (error) {
      unreached.push(`${peer.node} (${(error as Error).message})`);
    }
  }
  node.leaveCluster('unpaired on this node');
  const peers = pair.peers.map((peer) => peer.node).join(', ');
  if (unreached.length === 0) return { peerReached: true, message: `${node.name} and ${peers} run standalone again; each kept its data.` };
  return {
    peerReached: false,
    message: `${node.name} runs standalone again. It could not tell ${unreached.join(', ')}: if that PC still runs, click Unpair there too.`,
  };
}

/**
 * For replacing a Standby: the messages that tell the current peers to leave, made now (with the
 * current secret) and sent later, best effort: the old Standby is usually gone. A new node at the
 * same address refuses them, since they name the old cluster.
 */
export function farewells(node: PairingNode): () => void {
  const pair = node.pair();
  if (!pair) return () => undefined;
  const messages = pair.peers.map((peer) => {
    const nonce = newNonce();
    const message: PeerUnpair = { cluster: pair.cluster, from: node.name, nonce, proof: unpairProof(pair.secret, pair.cluster, node.name, peer.node, nonce) };
    return { url: peer.url, message, identity: node.identityOf(peer.node) };
  });
  return () => {
    for (const { url, message, identity } of messages) void postToNode(url, '/api/pairing/peer/unpair', message, OkResponse, identity).catch(() => undefined);
  };
}

/** The peer asks this node to leave their pair. */
export function onPeerUnpair(node: PairingNode, message: PeerUnpair): void {
  const pair = node.pair();
  const known = pair !== null && pair.cluster === message.cluster && pair.peers.some((peer) => peer.node === message.from);
  if (!known || !unpairProofMatches(pair.secret, pair.cluster, message.from, node.name, message.nonce, message.proof)) {
    throw new HttpError(403, 'forbidden', `${node.name} is not paired with ${message.from} in cluster ${message.cluster}, or the proof is wrong; nothing was changed`);
  }
  node.leaveCluster(`unpaired by ${message.from}`);
}
