/** Where a tag's value lives in an OPC UA server: the variable's node id and how often to sample it. */
export interface OpcuaAddress {
  /** The node id in the standard text form, e.g. `ns=1;s=Boiler.Temperature` or `i=2258`. */
  nodeId: string;
  /** The tag's own sampling interval, or null for the driver's `samplingIntervalMs`. */
  samplingMs: number | null;
}

const PARAMS = ['samplingMs'];
const SAMPLING_MS_MAX = 3_600_000;
const NAMESPACE_MAX = 65_535;
const NUMERIC_ID_MAX = 4_294_967_295;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EXAMPLE = 'e.g. "ns=1;s=Boiler.Temperature?samplingMs=250"';

/**
 * Parses `[ns=<index>;|nsu=<uri>;]<i|s|g|b>=<identifier>[?samplingMs=<ms>]`. The parameters follow
 * the last "?", so a string identifier that itself holds a "?" ends with a lone "?" (`ns=1;s=Why??`).
 * Returns a sentence naming the wrong part if invalid.
 */
export function parseOpcuaAddress(text: string): OpcuaAddress | string {
  const split = text.lastIndexOf('?');
  const nodeId = split < 0 ? text : text.slice(0, split);
  const query = split < 0 ? '' : text.slice(split + 1);
  const nodeProblem = nodeIdProblem(nodeId, text);
  if (nodeProblem) return nodeProblem;
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!PARAMS.includes(key)) return `unknown parameter "${key}" in "${text}"; use ${PARAMS.join(', ')} (${EXAMPLE})`;
  }
  const samplingText = params.get('samplingMs');
  if (samplingText === null) return { nodeId, samplingMs: null };
  if (!/^\d+$/.test(samplingText) || Number(samplingText) > SAMPLING_MS_MAX) {
    return `samplingMs "${samplingText}" in "${text}" must be a whole number of milliseconds from 0 to ${SAMPLING_MS_MAX}`;
  }
  return { nodeId, samplingMs: Number(samplingText) };
}

function nodeIdProblem(nodeId: string, text: string): string | null {
  if (nodeId === '') return `"${text}" has no node id before "?"; ${EXAMPLE}`;
  const hasNamespace = /^nsu?=/.test(nodeId) && nodeId.includes(';');
  const namespace = hasNamespace ? nodeId.slice(0, nodeId.indexOf(';')) : '';
  const identifier = hasNamespace ? nodeId.slice(namespace.length + 1) : nodeId;
  if (hasNamespace) {
    const problem = namespaceProblem(namespace, text);
    if (problem) return problem;
  }
  return identifierProblem(identifier, text);
}

function namespaceProblem(namespace: string, text: string): string | null {
  if (namespace.startsWith('nsu=')) {
    return namespace.length > 'nsu='.length ? null : `the namespace URI after "nsu=" in "${text}" is empty`;
  }
  const index = /^ns=(\d+)$/.exec(namespace)?.[1];
  if (index === undefined) return `namespace "${namespace}" in "${text}" must be "ns=<index>" or "nsu=<uri>" (${EXAMPLE})`;
  if (Number(index) > NAMESPACE_MAX) return `namespace index ${index} in "${text}" must be from 0 to ${NAMESPACE_MAX}`;
  return null;
}

function identifierProblem(identifier: string, text: string): string | null {
  const kind = identifier.slice(0, 2);
  const value = identifier.slice(2);
  switch (kind) {
    case 'i=':
      return /^\d+$/.test(value) && Number(value) <= NUMERIC_ID_MAX
        ? null
        : `numeric identifier "${value}" in "${text}" must be a whole number from 0 to ${NUMERIC_ID_MAX}`;
    case 's=':
      return value !== '' ? null : `the string identifier after "s=" in "${text}" is empty`;
    case 'g=':
      return GUID.test(value) ? null : `GUID identifier "${value}" in "${text}" must look like 72962b91-fa75-4ae6-8d28-b404dc7daf63`;
    case 'b=':
      return BASE64.test(value) ? null : `opaque identifier "${value}" in "${text}" must be base64`;
    default:
      return `node id "${identifier}" in "${text}" must start with i=, s=, g= or b= (${EXAMPLE})`;
  }
}
