import { isIPv4 } from 'node:net';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`): this PC. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return address === '::1' || (isIPv4(v4) && v4.startsWith('127.'));
}

/** A host as a user or a node names it: a loopback address, or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  return isLoopback(host) || host === 'localhost';
}
