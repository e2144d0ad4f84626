import { dismissSwitchoverBanner, useRedundancy } from '../../stores/redundancy-store.js';
import { switchoverText } from '../../stores/switchovers.js';
import { formatClock } from '../common/format.js';

/** Says that another node serves this station now, and why; it blocks nothing and stays until dismissed. */
export function SwitchoverBanner() {
  const switchover = useRedundancy((s) => s.banner);
  if (switchover === null) return null;
  return (
    <div className="banners" role="status">
      <div className="banner banner-info" data-testid="switchover-banner">
        <span>{switchoverText(switchover, formatClock)}</span>
        <a href="#/overview">Details</a>
        <button type="button" aria-label="Dismiss" onClick={dismissSwitchoverBanner}>
          ×
        </button>
      </div>
    </div>
  );
}
