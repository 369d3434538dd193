// Loading, error and empty states, announced to screen readers as they change.

import type { ApiError } from '../api/client.js';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status">
      {what}…
    </p>
  );
}

export function ErrorBox({ error }: { error: ApiError }) {
  // Another tenant's ids answer 404 exactly like ids that do not exist; the message says both.
  const text = error.status === 404 ? 'Not found, or not in your organisation.' : error.message;
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}

export function Empty({ children }: { children: string }) {
  return <p className="muted empty">{children}</p>;
}
