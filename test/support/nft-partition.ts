import { execFileSync } from 'node:child_process';

/**
 * A silent partition between two loopback addresses with nftables: packets between them are
 * dropped, no socket sees an error (as with a pulled cable), while traffic from other addresses
 * (127.0.0.1: the tests, the stations) still flows. Needs root and the nftables package.
 */
export function cutBetween(a: string, b: string): { heal(): void } {
  const table = `tandem_test_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const nft = (...args: string[]) => execFileSync('nft', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    nft('add', 'table', 'ip', table);
    nft('add', 'chain', 'ip', table, 'out', '{ type filter hook output priority 0 ; }');
    nft('add', 'rule', 'ip', table, 'out', 'ip', 'saddr', a, 'ip', 'daddr', b, 'drop');
    nft('add', 'rule', 'ip', table, 'out', 'ip', 'saddr', b, 'ip', 'daddr', a, 'drop');
  } catch (error) {
    try {
      nft('delete', 'table', 'ip', table);
    } catch {
      // Nothing was created.
    }
    throw new Error(`cannot cut the link with nftables (run as root with the nftables package installed): ${(error as Error).message}`);
  }
  let healed = false;
  return {
    heal() {
      if (healed) return;
      healed = true;
      nft('delete', 'table', 'ip', table);
    },
  };
}
