// The address → page table.

import { AccountPage } from './pages/Account.js';
import { AdminPage } from './pages/Admin.js';
import { AgentsPage } from './pages/Agents.js';
import { CampaignPage, CampaignsPage, IndicatorCampaignPage } from './pages/Campaigns.js';
import { ExposurePage } from './pages/Exposure.js';
import { FeedsPage } from './pages/Feeds.js';
import { FleetPage } from './pages/Fleet.js';
import { NotificationsPage } from './pages/Notifications.js';
import { RetrohuntPage, RetrohuntsPage } from './pages/Retrohunts.js';
import { ServerPage } from './pages/Server.js';
import { UploadsPage } from './pages/Uploads.js';
import { useLocation } from './router.js';
import { useTitle } from './title.js';

export function Routes() {
  const { path } = useLocation();
  const m = (re: RegExp) => re.exec(path);
  let r: RegExpExecArray | null;
  if (path === '/') return <FleetPage />;
  if ((r = m(/^\/orgs\/([^/]+)$/))) return <FleetPage org={decodeURIComponent(r[1] as string)} />;
  if ((r = m(/^\/servers\/(\d+)$/))) return <ServerPage id={Number(r[1])} />;
  if (path === '/campaigns') return <CampaignsPage />;
  if ((r = m(/^\/campaigns\/(\d+)$/))) return <CampaignPage id={Number(r[1])} />;
  if ((r = m(/^\/campaigns\/indicators\/(\d+)$/))) return <IndicatorCampaignPage id={Number(r[1])} />;
  if (path === '/uploads') return <UploadsPage />;
  if (path === '/exposure') return <ExposurePage />;
  if (path === '/feeds') return <FeedsPage />;
  if (path === '/agents') return <AgentsPage />;
  if (path === '/retrohunts') return <RetrohuntsPage />;
  if ((r = m(/^\/retrohunts\/(\d+)$/))) return <RetrohuntPage id={Number(r[1])} />;
  if (path === '/notifications') return <NotificationsPage />;
  if (path === '/admin') return <AdminPage />;
  if (path === '/account') return <AccountPage />;
  return <NotFound />;
}

function NotFound() {
  useTitle('Not found');
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}
