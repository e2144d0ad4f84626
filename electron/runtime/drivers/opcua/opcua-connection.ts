import {
  AttributeIds,
  ClientSubscription,
  DataType,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  UserTokenType,
  VariantArrayType,
  type ClientMonitoredItemGroup,
  type ClientSession,
  type DataValue,
  type OPCUAClientOptions,
  type UserIdentityInfo,
} from 'node-opcua-client';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import type { OpcuaSecurityMode, OpcuaSettings } from '../../../../shared/project/project-schema.js';
import { numericType, type NumericType } from './opcua-values.js';

/** What a node holds, read once after connecting: a numeric built-in type, or why the tag cannot read it. */
export type NodeInfo = { ok: true; type: NumericType } | { ok: false; error: string };

/** One value the server published for a monitored node. */
export interface NodeValue {
  statusCode: number;
  statusText: string;
  source: Date | null;
  server: Date | null;
  builtinType: string;
  isArray: boolean;
  raw: unknown;
}

export interface MonitorRequest {
  nodeId: string;
  samplingMs: number;
}

/** Reads and monitored items per request: servers limit how many nodes one call may name. */
const NODES_PER_CALL_MAX = 1_000;
/** Notifications a monitored item may queue between two publishes (sampling faster than publishing). */
const QUEUE_SIZE_MAX = 100;
const SECURITY_MODES: Record<OpcuaSecurityMode, MessageSecurityMode> = {
  none: MessageSecurityMode.None,
  sign: MessageSecurityMode.Sign,
  signAndEncrypt: MessageSecurityMode.SignAndEncrypt,
};

/**
 * One client, session and subscription on one OPC UA server, through node-opcua. node-opcua's own
 * reconnection is switched off (maxRetry 0): a lost connection is reported once to `onLost` and the
 * driver builds a new connection after its back-off. Every failure comes back as a value, never thrown.
 */
export class OpcuaConnection {
  private subscription: ClientSubscription | null = null;
  private readonly groups: ClientMonitoredItemGroup[] = [];
  private closed = false;

  private constructor(
    private readonly client: OPCUAClient,
    private readonly session: ClientSession,
    private readonly settings: OpcuaSettings,
  ) {}

  /** Connects, opens a session and a subscription; resolves the connection or the reason it failed. */
  static async open(settings: OpcuaSettings, certificateManager: OPCUACertificateManager, onLost: (reason: string) => void): Promise<OpcuaConnection | string> {
    const { endpointUrl, timeoutMs } = settings;
    let lost = false;
    const reportLost = (reason: string): void => {
      if (lost) return;
      lost = true;
      onLost(reason);
    };
    let client: OPCUAClient | null = null;
    try {
      client = OPCUAClient.create(clientOptions(settings, certificateManager));
      await withTimeout(client.connect(endpointUrl), timeoutMs, 'no answer');
      const session = await withTimeout(client.createSession(userIdentity(settings)), timeoutMs, 'no session').catch((error: unknown) => {
        const who = settings.userName === undefined ? 'an anonymous session' : `user "${settings.userName}"`;
        throw new Error(`the server refused ${who}: ${errorText(error)}; check userName and password`);
      });
      const connection = new OpcuaConnection(client, session, settings);
      client.on('close', (error?: Error | null) => {
        if (!connection.closed) reportLost(`connection to ${endpointUrl} closed${error ? `: ${error.message}` : ''}`);
      });
      session.on('keepalive_failure', () => reportLost(`${endpointUrl} stopped answering (session keep-alive failed)`));
      session.on('session_closed', () => {
        if (!connection.closed) reportLost(`${endpointUrl} closed the session`);
      });
      return connection;
    } catch (error) {
      void client?.disconnect().catch(() => undefined);
      return `cannot connect to ${endpointUrl}: ${errorText(error)}`;
    }
  }

  /** Reads each node's value once to learn its built-in type; missing and non-numeric nodes get a sentence. */
  async inspect(nodeIds: readonly string[]): Promise<NodeInfo[]> {
    const infos: NodeInfo[] = [];
    for (let i = 0; i < nodeIds.length; i += NODES_PER_CALL_MAX) {
      const chunk = nodeIds.slice(i, i + NODES_PER_CALL_MAX);
      const values = await this.session.read(chunk.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })));
      infos.push(...values.map(nodeInfo));
    }
    return infos;
  }

  /**
   * Monitors the nodes, one monitored-item group per sampling interval; `onValue` receives the
   * request's index. Resolves, per request, null once monitored or the server's refusal.
   */
  async monitor(requests: readonly MonitorRequest[], onValue: (index: number, value: NodeValue) => void): Promise<(string | null)[]> {
    const subscription = await this.openSubscription();
    const results: (string | null)[] = requests.map(() => null);
    const bySampling = new Map<number, number[]>();
    requests.forEach((request, index) => bySampling.set(request.samplingMs, [...(bySampling.get(request.samplingMs) ?? []), index]));
    for (const [samplingMs, indexes] of bySampling) {
      for (let i = 0; i < indexes.length; i += NODES_PER_CALL_MAX) {
        const chunk = indexes.slice(i, i + NODES_PER_CALL_MAX);
        const group = await subscription.monitorItems(
          chunk.map((index) => ({ nodeId: requests[index]?.nodeId ?? '', attributeId: AttributeIds.Value })),
          { samplingInterval: samplingMs, discardOldest: true, queueSize: queueSize(samplingMs, this.settings.publishingIntervalMs) },
          TimestampsToReturn.Both,
        );
        this.groups.push(group);
        group.monitoredItems.forEach((item, k) => {
          const index = chunk[k];
          if (index !== undefined && !item.statusCode.isGood()) results[index] = `the server refused to monitor it: ${item.statusCode.name}`;
        });
        group.on('changed', (_item, dataValue, k) => {
          const index = chunk[k];
          if (index !== undefined && !this.closed) onValue(index, nodeValue(dataValue));
        });
      }
    }
    return results;
  }

  /** Writes one value of the given type; resolves null once the server took it, or the reason it did not. */
  async write(nodeId: string, type: NumericType, value: number | boolean): Promise<string | null> {
    if (this.closed) return 'the connection is closed';
    try {
      const statusCode = await this.session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType: DataType[type], value } } });
      return statusCode.isGood() ? null : `the server refused the write: ${statusCode.name} (${statusCode.description})`;
    } catch (error) {
      return `the write got no answer: ${errorText(error)}`;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await withTimeout(this.session.close(), this.settings.timeoutMs, 'no answer');
    } catch {
      // The server is often gone already; the socket is closed below either way.
    }
    await this.client.disconnect().catch(() => undefined);
  }

  private async openSubscription(): Promise<ClientSubscription> {
    if (this.subscription) return this.subscription;
    const publishingMs = this.settings.publishingIntervalMs;
    // The server sends a keep-alive at least every ~10 s without changes and drops the subscription after 3 missed.
    const keepAliveCount = Math.max(3, Math.ceil(10_000 / publishingMs));
    this.subscription = await this.session.createSubscription2({
      requestedPublishingInterval: publishingMs,
      requestedMaxKeepAliveCount: keepAliveCount,
      requestedLifetimeCount: keepAliveCount * 3,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    });
    return this.subscription;
  }
}

function clientOptions(settings: OpcuaSettings, certificateManager: OPCUACertificateManager): OPCUAClientOptions {
  const { securityMode, timeoutMs } = settings;
  return {
    applicationName: 'Tandem',
    endpointMustExist: false,
    securityMode: SECURITY_MODES[securityMode],
    securityPolicy: securityMode === 'none' ? SecurityPolicy.None : SecurityPolicy[settings.securityPolicy ?? 'Basic256Sha256'],
    connectionStrategy: { maxRetry: 0, initialDelay: timeoutMs, maxDelay: timeoutMs },
    clientCertificateManager: certificateManager,
    requestedSessionTimeout: settings.sessionTimeoutMs,
    transportTimeout: timeoutMs,
    defaultTransactionTimeout: timeoutMs,
    keepSessionAlive: true,
    keepAliveInterval: Math.max(1_000, Math.floor(timeoutMs / 2)),
  };
}

function userIdentity(settings: OpcuaSettings): UserIdentityInfo {
  if (settings.userName === undefined) return { type: UserTokenType.Anonymous };
  return { type: UserTokenType.UserName, userName: settings.userName, password: settings.password ?? '' };
}

function nodeInfo(dataValue: DataValue): NodeInfo {
  const status = dataValue.statusCode;
  if (status.name === 'BadNodeIdUnknown' || status.name === 'BadNodeIdInvalid') {
    return { ok: false, error: `the server has no such node (${status.name}); check the node id` };
  }
  if (status.name === 'BadAttributeIdInvalid') return { ok: false, error: 'the node is not a variable (it has no value); check the node id' };
  if (status.name === 'BadUserAccessDenied' || status.name === 'BadNotReadable') {
    return { ok: false, error: `the server does not let this user read it (${status.name})` };
  }
  const value = nodeValue(dataValue);
  if (value.isArray) return { ok: false, error: `the node holds an array of ${value.builtinType}, not a single number` };
  const type = numericType(value.builtinType);
  if (type) return { ok: true, type };
  // A variable whose value is Bad or not yet set carries no type; take the declared one on the first good value.
  if (value.builtinType === 'Null') return { ok: true, type: 'Double' };
  return { ok: false, error: `the node holds a ${value.builtinType}, not a number; choose a numeric or Boolean variable` };
}

function nodeValue(dataValue: DataValue): NodeValue {
  const variant = dataValue.value;
  return {
    statusCode: dataValue.statusCode.value,
    statusText: `${dataValue.statusCode.name} (${dataValue.statusCode.description})`,
    source: dataValue.sourceTimestamp ?? null,
    server: dataValue.serverTimestamp ?? null,
    builtinType: DataType[variant.dataType] ?? 'Null',
    isArray: variant.arrayType !== VariantArrayType.Scalar,
    raw: variant.value,
  };
}

function queueSize(samplingMs: number, publishingMs: number): number {
  return Math.min(QUEUE_SIZE_MAX, Math.max(1, Math.ceil(publishingMs / Math.max(1, samplingMs))));
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const SOCKET_ERRORS: Record<string, string> = {
  ENOTFOUND: 'the host name is not known',
  EAI_AGAIN: 'the host name could not be looked up',
  ECONNREFUSED: 'the connection was refused (is the server running, on that port?)',
  EHOSTUNREACH: 'the host cannot be reached',
  ETIMEDOUT: 'the host did not answer',
};

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // node-opcua wraps socket errors in several lines of advice; the socket's own words say what happened.
  const socketError = /Err = \((.*)\)/.exec(message)?.[1];
  if (socketError) {
    const code = Object.keys(SOCKET_ERRORS).find((candidate) => socketError.includes(candidate));
    return code ? `${SOCKET_ERRORS[code]} (${socketError})` : socketError;
  }
  return message.split('\n')[0]?.trim() ?? message;
}
