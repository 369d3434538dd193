// Every route of the API, in the order the OpenAPI document lists them.

import { openApiDocument } from '../openapi.js';
import { route, withBounds } from '../route.js';
import type { RouteDef } from '../route.js';
import { adminRoutes } from './admin.js';
import { agentRoutes } from './agents.js';
import { campaignRoutes } from './campaigns.js';
import { dashboardRoutes } from './dashboard.js';
import { handoffRoutes } from './handoff.js';
import { ingestRoutes } from './ingest.js';
import { intelRoutes } from './intel.js';
import { notifyRoutes } from './notify.js';
import { readRoutes } from './reads.js';
import { resumableRoutes } from './resumable.js';
import { retrohuntRoutes } from './retrohunts.js';
import { systemRoutes } from './system.js';

const served: RouteDef[] = [
  ...systemRoutes,
  ...ingestRoutes,
  ...resumableRoutes,
  ...readRoutes,
  ...campaignRoutes,
  ...intelRoutes,
  ...retrohuntRoutes,
  ...notifyRoutes,
  ...dashboardRoutes,
  ...handoffRoutes,
  ...adminRoutes,
  ...agentRoutes,
];

const openApiRoute = route({
  method: 'GET',
  url: '/openapi.json',
  summary: 'This API described as OpenAPI 3.1',
  tag: 'system',
  role: 'public',
  response: { status: 200, description: 'the document' },
  handler: () => Promise.resolve(openApiDocument(ROUTES)),
});

// Every parameter and body field bounded (route.ts `withBounds`), for Fastify and the document alike.
export const ROUTES: RouteDef[] = [openApiRoute, ...served].map(withBounds);
