import { useShallow } from 'zustand/react/shallow';
import { searchNodes, usePairing, type PairingViewState } from './pairing-store.js';

const selectFound = (s: PairingViewState) => ({ found: s.found, searching: s.searching });

/** The PCs that answered the search; one click picks one (a PC in a pair already cannot be picked). */
export function FoundNodes({ selected, onPick }: { selected: string; onPick: (url: string) => void }) {
  const { found, searching } = usePairing(useShallow(selectFound));
  return (
    <div className="found-nodes" data-testid="found-nodes">
      {found?.map((node) => (
        <button
          type="button"
          key={node.url}
          data-testid="found-node"
          data-node={node.node}
          aria-pressed={selected === node.url}
          disabled={node.cluster !== null}
          title={node.cluster !== null ? `${node.node} is in cluster ${node.cluster}; unpair it there first` : node.url}
          onClick={() => onPick(node.url)}
        >
          {node.node} <span className="muted">{node.cluster !== null ? `paired (${node.cluster})` : new URL(node.url).host}</span>
        </button>
      ))}
      {found?.length === 0 && !searching ? <span className="muted">No other Tandem PC answered.</span> : null}
      <button type="button" className="link-button" disabled={searching} onClick={() => void searchNodes()}>
        {searching ? 'Searching…' : 'Search again'}
      </button>
    </div>
  );
}
