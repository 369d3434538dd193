// The shapes the fleet server's API returns, as the dashboard reads them: the server's own declarations
// (src/server/api/types.ts), which its route handlers are compiled against; nothing is written twice here.

export type * from '../../../src/server/api/types.js';
