import { z } from 'zod';
import { ClusterFile, NodeName } from '../cluster/cluster-schema.js';
import { ProjectId } from '../project/project-schema.js';

/**
 * Pairing two nodes into a Server/Standby pair by point and click: the UI's calls on its own node
 * (`/api/pairing/...`) and the node-to-node messages (`/api/pairing/peer/...`). The protocol and
 * why it is built this way: electron/runtime/pairing/DESIGN.md.
 */

/** Names the pairing protocol and goes into every hash, key and proof of it. */
export const PAIRING_PROTOCOL = 'tandem-pairing/1';

/** An X25519 public key masked with the code (32 bytes) or a nonce (32 bytes), base64url. */
const Bytes32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url');
/** SHA-256 or HMAC-SHA256, hex. */
const Digest = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');
/** 16 random bytes, hex: names one pairing attempt. */
export const PairingId = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex digits');
/** The six digits shown on the Server and typed on the Standby. */
export const PairingCode = z.string().regex(/^\d{6}$/, 'the code has six digits');
const NodeUrl = z.url({ protocol: /^https?$/ });

/** A node found on the local network. */
export const DiscoveredNode = z.object({
  node: z.string(),
  url: z.string(),
  version: z.string(),
  /** The cluster the node is in, or null when it runs standalone (only those can be paired). */
  cluster: z.string().nullable(),
  projects: z.array(z.string()),
});
export type DiscoveredNode = z.infer<typeof DiscoveredNode>;
export const DiscoveryResponse = z.object({ nodes: z.array(DiscoveredNode) });
export type DiscoveryResponse = z.infer<typeof DiscoveryResponse>;

/** One discovery datagram each way (UDP). */
export const DiscoveryQuery = z.object({ type: z.literal('discover'), protocol: z.literal(PAIRING_PROTOCOL), asker: z.string().max(64) }).strict();
export const DiscoveryAnswer = z
  .object({
    type: z.literal('here'),
    protocol: z.literal(PAIRING_PROTOCOL),
    instance: z.string().max(64),
    node: NodeName,
    version: z.string().max(32),
    /** The address the node listens on; null when it listens on every address (use the sender's). */
    host: z.string().max(64).nullable(),
    port: z.number().int().min(1).max(65_535),
    cluster: z.string().max(63).nullable(),
    projects: z.array(z.string().max(64)).max(100),
  })
  .strict();
export type DiscoveryAnswer = z.infer<typeof DiscoveryAnswer>;

export const OutgoingState = z.enum(['waitingForCode', 'paired', 'failed', 'expired', 'cancelled']);
export type OutgoingState = z.infer<typeof OutgoingState>;

/** This node asked another to become the Standby of one of its projects. */
export const OutgoingPairing = z.object({
  id: PairingId,
  project: z.string(),
  peer: z.object({ node: z.string(), url: z.string() }),
  /** Shown while `waitingForCode`, to be typed on the other PC; null afterwards. */
  code: PairingCode.nullable(),
  expiresAt: z.number(),
  state: OutgoingState,
  /** What happened and what to do, once the state is not `waitingForCode`. */
  message: z.string().nullable(),
  /** True when this replaces the Standby of an existing pair. */
  replace: z.boolean(),
});
export type OutgoingPairing = z.infer<typeof OutgoingPairing>;

/** Another node asks this one to become the Standby of a project; it waits for the code. */
export const IncomingPairing = z.object({
  id: PairingId,
  from: z.object({ node: z.string(), url: z.string() }),
  project: z.object({ id: z.string(), name: z.string() }),
  expiresAt: z.number(),
});
export type IncomingPairing = z.infer<typeof IncomingPairing>;

/** The pair this node is in. */
export const CurrentPair = z.object({
  cluster: z.string(),
  projects: z.array(z.object({ id: z.string(), server: z.string(), standby: z.string() })),
  peers: z.array(z.object({ node: z.string(), url: z.string() })),
});
export type CurrentPair = z.infer<typeof CurrentPair>;

/** `GET /api/pairing`: everything the pairing screen shows. */
export const PairingStatus = z.object({
  node: z.string(),
  projects: z.array(z.object({ id: z.string(), name: z.string() })),
  pair: CurrentPair.nullable(),
  outgoing: OutgoingPairing.nullable(),
  incoming: z.array(IncomingPairing),
});
export type PairingStatus = z.infer<typeof PairingStatus>;

/** `POST /api/pairing/start` and `/api/pairing/replace-standby`: `address` is `host`, `host:port` or a URL. */
export const StartPairingBody = z.object({ project: ProjectId, address: z.string().trim().min(1).max(300) }).strict();
export const AcceptPairingBody = z.object({ code: z.string().trim() }).strict();
export const CancelPairingBody = z.object({ id: PairingId }).strict();
export const UnpairBody = z.object({}).strict();
export const AcceptPairingResponse = z.object({ cluster: z.string(), project: z.string(), server: z.string(), standby: z.string() });
export type AcceptPairingResponse = z.infer<typeof AcceptPairingResponse>;
export const UnpairResponse = z.object({
  /** Whether the other node of the pair heard it and runs standalone too. */
  peerReached: z.boolean(),
  message: z.string(),
});
export type UnpairResponse = z.infer<typeof UnpairResponse>;
export const OkResponse = z.object({ ok: z.literal(true) });

// Node to node. Each message names the pairing attempt; proofs and keys: DESIGN.md.

/** Server -> Standby: please pair; my public key, masked with the code. */
export const PeerPairRequest = z
  .object({
    protocol: z.literal(PAIRING_PROTOCOL),
    id: PairingId,
    from: z.object({ node: NodeName, url: NodeUrl }),
    project: z.object({ id: ProjectId, name: z.string().max(200) }),
    maskedKey: Bytes32,
    expiresInMs: z.number().int().min(1).max(3_600_000),
  })
  .strict();
export type PeerPairRequest = z.infer<typeof PeerPairRequest>;
export const PeerPairReply = z.object({ node: NodeName }).strict();
export type PeerPairReply = z.infer<typeof PeerPairReply>;
/** Standby -> Server, once the code is typed: my public key masked with it, and my key-confirmation proof. */
export const PeerConfirm = z.object({ id: PairingId, maskedKey: Bytes32, proof: Digest }).strict();
/** AES-256-GCM: 12-byte iv, ciphertext, 16-byte tag, base64url. */
export const Sealed = z.object({ iv: z.string().max(32), data: z.string().max(8 * 1024 * 1024), tag: z.string().max(32) }).strict();
export const PeerConfirmReply = z.object({ proof: Digest, sealed: Sealed }).strict();
export type PeerConfirmReply = z.infer<typeof PeerConfirmReply>;
/** Standby -> Server: the document arrived and checks out; apply it. */
export const PeerCommit = z.object({ id: PairingId, proof: Digest }).strict();
export const PeerAbort = z.object({ id: PairingId, reason: z.enum(['wrongCode', 'expired', 'declined', 'cancelled', 'failed']), message: z.string().max(500) }).strict();
export type PeerAbortReason = z.infer<typeof PeerAbort>['reason'];
/** Either node -> its peer: leave the pair; proven with the cluster secret. */
export const PeerUnpair = z.object({ cluster: z.string().max(63), from: NodeName, nonce: Bytes32, proof: Digest }).strict();
export type PeerUnpair = z.infer<typeof PeerUnpair>;

/** What the Server seals for the Standby: the cluster document, and the project file unless it is the built-in demo. */
export const SealedPairing = z.object({ cluster: ClusterFile, projectFile: z.string().max(4 * 1024 * 1024).nullable() }).strict();
export type SealedPairing = z.infer<typeof SealedPairing>;
