import { useEffect, type ReactNode } from 'react';
import { useConnection } from './stores/connection-store.js';
import { useRedundancy } from './stores/redundancy-store.js';
import { AlarmListView } from './views/alarms/alarm-list-view.js';
import { CelView } from './views/cel/cel-view.js';
import { OverviewView } from './views/overview/overview-view.js';
import { RecipesView } from './views/recipes/recipes-view.js';
import { RedundancyView } from './views/redundancy/redundancy-view.js';
import { BannerStrip } from './views/shell/banner-strip.js';
import { LoginDialog } from './views/shell/login-dialog.js';
import { ROUTES, useRoute, type Route } from './views/shell/hash-route.js';
import { NavBar } from './views/shell/nav-bar.js';
import { SwitchoverBanner } from './views/shell/switchover-banner.js';
import { TopBar } from './views/shell/top-bar.js';
import { TagsView } from './views/tags/tags-view.js';
import { TrendsView } from './views/trends/trends-view.js';
import { UsersView } from './views/users/users-view.js';

const VIEWS: Record<Route, () => ReactNode> = {
  overview: () => <OverviewView />,
  alarms: () => <AlarmListView />,
  cel: () => <CelView />,
  trends: () => <TrendsView />,
  tags: () => <TagsView />,
  recipes: () => <RecipesView />,
  redundancy: () => <RedundancyView />,
  users: () => <UsersView />,
};

export function App() {
  const route = useRoute();
  const connected = useConnection((s) => s.state === 'connected');
  const serving = useRedundancy((s) => s.serving);
  useNavShortcuts();
  return (
    <div className="app">
      <TopBar />
      <SwitchoverBanner />
      <BannerStrip />
      <div className="body">
        <NavBar route={route} />
        {/* While no node serves this station the values shown are old; greying them says so without hiding them. */}
        <main className={`main${connected && serving ? '' : ' stale'}`}>{VIEWS[route]()}</main>
      </div>
      <LoginDialog />
    </div>
  );
}

/** Alt+1…8 switch views from anywhere, so moving around never needs the mouse. */
function useNavShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const route = ROUTES[Number(event.key) - 1];
      if (route) {
        event.preventDefault();
        window.location.hash = `#/${route}`;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
