import { resetAlarmViewStore } from './views/alarms/alarm-view-store.js';
import { resetCelViewStore } from './views/cel/cel-view-store.js';
import { resetDashboardStore } from './views/redundancy/dashboard-store.js';
import { resetDrillStore } from './views/redundancy/drill-store.js';
import { resetTrendViewStore } from './views/trends/trend-view-store.js';
import { resetPairingStore } from './views/pairing/pairing-store.js';
import { resetBannerStore } from './stores/banner-store.js';
import { resetConnectionStore } from './stores/connection-store.js';
import { resetAuthStore } from './stores/auth-store.js';
import { resetProjectStore } from './stores/project-store.js';
import { resetRedundancyStore } from './stores/redundancy-store.js';

/** Every store back to its first state, so tests do not leak into each other. */
export function resetStores(): void {
  resetConnectionStore();
  resetProjectStore();
  resetRedundancyStore();
  resetAuthStore();
  resetBannerStore();
  resetAlarmViewStore();
  resetCelViewStore();
  resetTrendViewStore();
  resetDashboardStore();
  resetDrillStore();
  resetPairingStore();
}
