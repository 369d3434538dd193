// Who is signed in, shared with every page; roles decide what the dashboard offers (the server enforces them).

import { createContext, useContext } from 'react';
import type { Me, Role } from './api/types.js';

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, administrator: 3 };

export interface Session {
  me: Me;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export function can(me: Me, role: Role): boolean {
  return RANK[me.role] >= RANK[role];
}
