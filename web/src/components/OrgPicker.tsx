// Administrators narrow any fleet view to one organisation; everyone else only ever sees their own.

import { useId } from 'react';
import { useApi } from '../api/hooks.js';

import { useParam } from '../router.js';
import { useSession } from '../session.js';

export function OrgPicker() {
  const { me } = useSession();
  const [org, setOrg] = useParam('org');
  const orgs = useApi('/organisations', me.role === 'administrator' ? '/organisations' : null);
  const id = useId();
  if (me.role !== 'administrator') return null;
  return (
    <span className="field">
      <label htmlFor={id}>Organisation</label>
      <select id={id} value={org ?? ''} onChange={(e) => setOrg(e.target.value || undefined)}>
        <option value="">all organisations</option>
        {(orgs.data?.items ?? []).map((o) => (
          <option key={o.id} value={o.name}>
            {o.name}
          </option>
        ))}
      </select>
    </span>
  );
}
