/**
 * A request id for an operator command. `crypto.randomUUID` exists only in secure contexts, and plant
 * stations often open the runtime over plain http on the LAN, so fall back to `getRandomValues`.
 */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
